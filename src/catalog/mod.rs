//! The trigger catalog: the one source of truth for Servetel's triggers, their variables, the
//! nested shapes those variables carry and the value vocabularies seen on the wire.
//!
//! Everything here is data. Validation, synthesis, rendering and the JSON Schema export read it;
//! none of them restates a fact about a trigger or a variable. Adding a trigger (the six extended
//! Smartflo/Acefone triggers were added so, docs/wire.md "The extended Smartflo/Acefone triggers")
//! is adding a row to [`TRIGGERS`] that names its platform and the variable groups it carries.

pub mod lifecycle;
mod shapes;
mod triggers;
mod variables;
pub mod vocab;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use shapes::{SHAPES, Shape, SubField};
pub use triggers::{DETECTION_ORDER, TRIGGERS, TriggerId};
pub use variables::GROUPS;

/// Inbound or outbound, the two call types of the portal's "call type" field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallType {
    Inbound,
    Outbound,
}

impl CallType {
    pub fn name(self) -> &'static str {
        match self {
            CallType::Inbound => "inbound",
            CallType::Outbound => "outbound",
        }
    }
}

/// Which portals offer a trigger. Servetel, Smartflo and Acefone run one engine; the 11 triggers of
/// Servetel's docs are on all three, the extended ones only on Smartflo and Acefone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Servetel's documented 11 (on Smartflo and Acefone too).
    Servetel,
    /// Only on Tata Smartflo and Acefone portals.
    SmartfloAcefone,
}

impl Platform {
    /// The portals that offer the trigger, as `triggers --format json` lists them.
    pub fn portals(self) -> &'static [&'static str] {
        match self {
            Platform::Servetel => &["servetel", "smartflo", "acefone"],
            Platform::SmartfloAcefone => &["smartflo", "acefone"],
        }
    }

    /// The short name of the `PLATFORM` column.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Servetel => "servetel",
            Platform::SmartfloAcefone => "smartflo/acefone",
        }
    }
}

/// What an event says about the call's outcome, which decides the answered/missed rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Sent while the call is live: nothing is known about how it ends.
    Live,
    /// Sent at hangup of a call that an agent (or the customer, on click-to-call) answered.
    Answered,
    /// Sent at hangup of a call nobody answered.
    Missed,
    /// Sent at hangup either way.
    Either,
    /// Sent at hangup of a click-to-call whose customer did not answer. The agent's leg may have
    /// connected (`call_connected` 1, the agent in `answered_agent`), so validation holds it to
    /// neither answered nor missed; synthesis makes a call nobody talked on.
    CustomerMissed,
}

impl Outcome {
    /// Whether the trigger's outcome is settled by the trigger itself (`--outcome` can only
    /// repeat it): every outcome but live and either.
    pub fn is_fixed(self) -> bool {
        !matches!(self, Outcome::Live | Outcome::Either)
    }
}

/// The moment in a call's life at which a trigger fires; synthesis stamps the event with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    ReceivedOnServer,
    AnsweredOnIvr,
    DtmfPressed,
    ReceivedOnDepartment,
    ReceivedOnAutoAttendant,
    DialedOnAgent,
    AnsweredByAgent,
    AnsweredByCustomer,
    /// A dialer put the answered call through to an agent.
    ConnectedToAgent,
    HungUp,
    /// After the hangup: the agent set the call's disposition.
    Disposed,
}

impl Stage {
    /// Moments only a dialer call has: synthesis makes the calls of such a trigger dialer calls.
    pub fn dialer_only(self) -> bool {
        matches!(self, Stage::ConnectedToAgent | Stage::Disposed)
    }
}

/// One trigger of the portal's webhook form.
#[derive(Debug)]
pub struct Trigger {
    /// The trigger as code names it.
    pub which: TriggerId,
    /// What the CLI takes: `answered-by-agent`.
    pub id: &'static str,
    /// The portal label: Servetel's (`Call answered by Agent`), or Smartflo/Acefone's for the
    /// triggers only they have.
    pub label: &'static str,
    /// Which portals offer it: `triggers` lists the Servetel ones unless `--all`.
    pub platform: Platform,
    /// Other names users type: Smartflo/Acefone labels and legacy spellings. The id, the label
    /// and snake_case forms match without being listed (see [`normalize_name`]).
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    pub call_types: &'static [CallType],
    pub outcome: Outcome,
    pub stage: Stage,
    /// The variable groups (docs tables, observed extras) this trigger offers, in priority order:
    /// where two groups define the same variable, the earlier one wins.
    pub groups: &'static [GroupId],
    /// The key order of the real default template, where one was observed (docs/wire.md). Without it the
    /// real template is the docs variables present at this stage, then the observed extras.
    pub default_order: Option<&'static [&'static str]>,
    /// What tells a payload of this trigger apart (the body never names its trigger): any one of
    /// these. Detection tries triggers in [`DETECTION_ORDER`].
    pub markers: &'static [Marker],
}

/// A sign in a payload that it came from one trigger.
#[derive(Debug)]
pub struct Marker {
    pub sign: Sign,
    /// The other triggers that send this sign too; detection tells them apart first (they come
    /// earlier in [`DETECTION_ORDER`], or, for the hangup family, by `call_connected`).
    pub shared_with: &'static [TriggerId],
}

#[derive(Debug)]
pub enum Sign {
    /// This variable is set (neither absent nor `""`).
    Set(&'static str),
    /// Every one of these variables is set.
    AllSet(&'static [&'static str]),
    /// `call_status` is this, ignoring case and surrounding spaces.
    Status(&'static str),
}

/// Which key set a payload carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// The real default template: observed extras, its key order, its quirks
    /// (`"customer_no_with_prefix "`, literal `$placeholders`, mixed epoch types).
    Real,
    /// Only the variables Servetel's docs list for the trigger, in the docs' order.
    Docs,
}

/// The variable groups: the docs' tables, plus what real default templates add.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupId {
    Live,
    Hangup,
    Broadcast,
    Dtmf,
    DialedOnAgent,
    Department,
    AutoAttendant,
    Customer,
    /// Smartflo/Acefone's "Call Connected to Agent (Dialer)".
    DialerConnected,
    /// Smartflo/Acefone's "Disposition Status Updated (Dialer)".
    Disposition,
    /// The observed extras; each row says on which triggers it is offered.
    Observed,
}

/// A table of variables: one of the docs' tables, or a list of observed extras.
#[derive(Debug)]
pub struct Group {
    pub id: GroupId,
    /// The docs heading of the table, or where the extras were seen.
    pub title: &'static str,
    pub vars: &'static [Var],
}

/// Where a variable is known from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// Listed in Servetel's webhook documentation.
    Docs,
    /// Not documented, but carried by real default templates (docs/wire.md, "Observed extras by trigger").
    Observed,
    /// No payload seen: given to an extended Smartflo/Acefone trigger from its portal label and
    /// the field notes' dialer facts (docs/wire.md, "The extended Smartflo/Acefone triggers").
    /// Synthesized, accepted, never required.
    Inferred,
}

impl Evidence {
    /// The `SOURCE` column of `schema`.
    pub fn name(self) -> &'static str {
        match self {
            Evidence::Docs => "docs",
            Evidence::Observed => "observed",
            Evidence::Inferred => "inferred",
        }
    }
}

/// The data type the docs give a variable (observed extras have none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocsType {
    String,
    Integer,
    Array,
    ArrayOfStrings,
    ArrayOfObjects,
    Object,
    /// Not in the docs: the type seen on the wire is the [`Kind`]'s.
    Undocumented,
}

impl DocsType {
    pub fn name(self) -> &'static str {
        match self {
            DocsType::String => "String",
            DocsType::Integer => "Integer",
            DocsType::Array => "Array",
            DocsType::ArrayOfStrings => "Array of Strings",
            DocsType::ArrayOfObjects => "Array of Objects",
            DocsType::Object => "Object",
            DocsType::Undocumented => "-",
        }
    }
}

/// The shape a value really has on the wire. Validation, synthesis and the JSON Schema export
/// each have one piece of logic per kind; a variable only says which kind it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// 13 lowercase hex digits (PHP `uniqid()`); may differ per leg.
    Uuid,
    /// `1775719461.306731`, `HYD1-D4-1790798403.486134` or a UUID: the dedupe key.
    CallId,
    /// A customer or DID number: 6–15 digits with an optional `+`, in mixed formats.
    Phone,
    /// An agent's number: a phone, a 13-digit extension id or `Extension-…`.
    AgentNumber,
    /// A point in time, in any of the stamp dialects (see `timestamp`).
    Stamp,
    /// `start_date`: `2026-04-09` or the dialer's `2/24/2026`.
    Date,
    /// `start_time`: `12:54:22` or the dialer's `2:19:58`.
    Time,
    /// A non-negative whole number of seconds, sent as a string.
    Seconds,
    /// `"1"` or `"0"`.
    Flag,
    /// One DTMF key: 0–9, `*`, `#`.
    Digit,
    /// The DTMF keys pressed during the call: an array of strings, or `""`.
    Digits,
    /// `inbound`, `outbound`, `clicktocall`, `Dialer (inbound)`…: see [`vocab::DIRECTIONS`].
    Direction,
    /// An http(s) URL.
    Url,
    /// A numeric id sent as a string (`"59726"`).
    Id,
    /// 32 hex digits.
    Hex32,
    /// A UUID (v4).
    Uuid4,
    /// Free text: names, causes, statuses.
    Text,
    /// Anything: what the API caller passed through.
    Any,
    /// `""`, an agent object, or an array of agent objects.
    Agents,
    /// An array of call-flow step objects.
    CallFlow,
    /// `""` or an object of the named shape.
    Record(&'static str),
    /// An array of objects of the named shape.
    RecordList(&'static str),
    /// An array of strings (or one string).
    TextList,
}

impl Kind {
    /// The shape of the objects a value of this kind holds (agents, call-flow steps, records).
    pub fn shape(self) -> Option<&'static Shape> {
        match self {
            Kind::Agents => Some(shape("agent")),
            Kind::CallFlow => Some(shape("call_flow_step")),
            Kind::Record(name) | Kind::RecordList(name) => Some(shape(name)),
            _ => None,
        }
    }

    /// Kinds whose value is an object or array (and may arrive as JSON or Go text instead).
    pub fn holds_structure(self) -> bool {
        matches!(
            self,
            Kind::Agents
                | Kind::CallFlow
                | Kind::Record(_)
                | Kind::RecordList(_)
                | Kind::TextList
                | Kind::Digits
        )
    }
}

/// When a variable carries a value, as the docs (and traffic) say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Always,
    /// Only when an agent answered the call.
    IfAgentAnswered,
    /// Only when at least one agent missed the call.
    IfAgentMissed,
    /// Only on broadcast (dialer) calls.
    IfBroadcast,
    /// Only on these triggers of a shared table.
    OnlyOn(&'static [TriggerId]),
    /// Only when the call went through a department.
    IfDepartment,
    /// Only when the call went through an IVR.
    IfIvr,
    /// `""` until the call is answered.
    IfAnswered,
    /// Only on click-to-call API calls.
    IfApiCall,
    /// Only on campaign (dialer) calls; a literal `$placeholder` otherwise.
    IfCampaign,
}

impl Presence {
    /// Set only on calls of a kind apart from a tenant's own inbound and outbound calls: a
    /// broadcast, a dialer campaign, a click-to-call API request. Synthesis makes the first two
    /// only when asked (`--broadcast`, `--direction dialer`) and never the third, so by default it
    /// leaves these variables `""` (or, outside campaigns, the literal placeholder).
    pub fn only_on_special_calls(self) -> bool {
        matches!(
            self,
            Presence::IfBroadcast | Presence::IfCampaign | Presence::IfApiCall
        )
    }

    pub fn describe(self) -> String {
        match self {
            Presence::Always => "always".into(),
            Presence::IfAgentAnswered => "only if an agent answered".into(),
            Presence::IfAgentMissed => "only if an agent missed the call".into(),
            Presence::IfBroadcast => "only on broadcast calls".into(),
            Presence::OnlyOn(ids) => {
                let names: Vec<&str> = ids.iter().map(|id| id.trigger().id).collect();
                format!("only on {}", names.join(", "))
            }
            Presence::IfDepartment => "only if a department received the call".into(),
            Presence::IfIvr => "only if an IVR received the call".into(),
            Presence::IfAnswered => "\"\" until answered".into(),
            Presence::IfApiCall => "only on click-to-call API calls".into(),
            Presence::IfCampaign => "only on campaign calls".into(),
        }
    }
}

/// Whether a payload without the variable (or with `""`) is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Required {
    No,
    Yes,
    /// Required, except on dialer/broadcast calls, where it may be `""`.
    UnlessDialer,
}

/// One variable, as a row of a docs table or of the observed extras.
#[derive(Debug)]
pub struct Var {
    /// The variable's name without `$`: `customer_number_with_prefix`.
    pub name: &'static str,
    /// Its key in the default template: usually the name; `"customer_no_with_prefix "` (with the
    /// trailing space) for `customer_number_with_prefix`.
    pub key: &'static str,
    pub docs_type: DocsType,
    pub kind: Kind,
    pub presence: Presence,
    pub required: Required,
    pub evidence: Evidence,
    /// The triggers that offer it, for an observed extra shown on some triggers only (docs/wire.md,
    /// "Observed extras by trigger"); `None`: every trigger whose groups hold it.
    pub offered_on: Option<&'static [TriggerId]>,
    pub description: &'static str,
}

impl Var {
    pub fn is_required(&self) -> bool {
        self.required != Required::No
    }

    /// Whether this trigger offers the variable: a payload of it may carry the key.
    pub fn offered_on(&self, trigger: TriggerId) -> bool {
        self.offered_on.is_none_or(|ids| ids.contains(&trigger))
    }
}

/// Folds a name the way users and portals spell it: case, spaces, `_`, `-`, `+` and parentheses
/// do not count (`Call Hangup (Missed)` = `call_hangup_missed` = `callhangupmissed`).
pub fn normalize_name(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '(' | ')' | '+'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Trigger {
    /// Every name this trigger answers to, as shown to users.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        [self.id, self.label]
            .into_iter()
            .chain(self.aliases.iter().copied())
    }

    pub fn allows(&self, call_type: CallType) -> bool {
        self.call_types.contains(&call_type)
    }

    /// The variables this trigger offers, in group order, each name once (earlier groups win).
    pub fn variables(&self) -> impl Iterator<Item = &'static Var> + '_ {
        self.index().vars.iter().copied()
    }

    /// Lookups validation makes for every key of every payload, computed once per trigger.
    fn index(&self) -> &'static Index {
        static INDEX: OnceLock<Vec<Index>> = OnceLock::new();
        let all = INDEX.get_or_init(|| TRIGGERS.iter().map(Index::new).collect());
        // Where `self` sits in TRIGGERS, from its address: this runs for every key of every
        // payload, so no search.
        let offset = (self as *const Trigger as usize).wrapping_sub(TRIGGERS.as_ptr() as usize)
            / std::mem::size_of::<Trigger>();
        let pos = match TRIGGERS.get(offset) {
            Some(t) if std::ptr::eq(t, self) => offset,
            _ => TRIGGERS
                .iter()
                .position(|t| std::ptr::eq(t, self))
                .expect("every trigger is in TRIGGERS"),
        };
        &all[pos]
    }

    /// The variable of this trigger with that name (without `$`).
    pub fn variable(&self, name: &str) -> Option<&'static Var> {
        self.groups
            .iter()
            .flat_map(|id| group(*id).vars.iter())
            .find(|v| v.name == name && v.offered_on(self.which))
    }

    /// The variable a payload key stands for: by default-template key, else by name, else by the
    /// key without stray spaces.
    pub fn var_for_key(&self, key: &str) -> Option<&'static Var> {
        let map = &self.index().by_key;
        map.get(key).or_else(|| map.get(key.trim())).copied()
    }

    pub fn required(&self) -> impl Iterator<Item = &'static Var> + '_ {
        self.index().required.iter().copied()
    }

    /// Is this variable sent by this trigger at all (not only offered by its shared table)?
    pub fn sends(&self, var: &Var) -> bool {
        match var.presence {
            Presence::OnlyOn(ids) => ids.contains(&self.which),
            _ => true,
        }
    }

    /// The variables of this trigger's default template in the profile, in order.
    pub fn template(&self, profile: Profile) -> Vec<&'static Var> {
        if let (Profile::Real, Some(order)) = (profile, self.default_order) {
            return order
                .iter()
                .filter_map(|name| self.variable(name))
                .collect();
        }
        let mut vars: Vec<&Var> = self
            .variables()
            .filter(|v| v.evidence == Evidence::Docs)
            .filter(|v| self.sends(v) && v.presence != Presence::IfBroadcast)
            .collect();
        if profile == Profile::Real {
            // `call_status` only reaches answered-by-agent here (the hangup family has its
            // order; answered-by-customer has it from the docs): "Answered by agent".
            for name in ["direction", "call_id", "call_status"] {
                if let Some(var) = self
                    .variable(name)
                    .filter(|v| vars.iter().all(|w| w.name != v.name))
                {
                    vars.push(var);
                }
            }
        }
        vars
    }

    /// Whether this trigger belongs to the hangup family (missed, hangup, missed-or-answered).
    pub fn is_hangup_family(&self) -> bool {
        self.stage == Stage::HungUp
    }
}

/// A trigger's variables, merged from its groups, and the maps to find them fast.
struct Index {
    vars: Vec<&'static Var>,
    required: Vec<&'static Var>,
    by_key: HashMap<&'static str, &'static Var>,
}

impl Index {
    fn new(trigger: &Trigger) -> Index {
        let mut vars: Vec<&'static Var> = Vec::new();
        for var in trigger.groups.iter().flat_map(|id| group(*id).vars.iter()) {
            if var.offered_on(trigger.which) && vars.iter().all(|v| v.name != var.name) {
                vars.push(var);
            }
        }
        let mut by_key = HashMap::new();
        for var in &vars {
            by_key.entry(var.key).or_insert(*var);
            by_key.entry(var.name).or_insert(*var);
        }
        Index {
            required: vars.iter().copied().filter(|v| v.is_required()).collect(),
            vars,
            by_key,
        }
    }
}

/// The group with that id.
pub fn group(id: GroupId) -> &'static Group {
    GROUPS
        .iter()
        .find(|g| g.id == id)
        .expect("every GroupId has a group in GROUPS")
}

/// The trigger with that id, label or alias (compared with [`normalize_name`]).
pub fn find_trigger(name: &str) -> Option<&'static Trigger> {
    if let Some(t) = TRIGGERS.iter().find(|t| t.id == name) {
        return Some(t); // the common case, without folding every alias
    }
    let wanted = normalize_name(name);
    TRIGGERS
        .iter()
        .find(|t| t.names().any(|n| normalize_name(n) == wanted))
}

/// Like [`find_trigger`], but an unknown name is an error that names the closest triggers.
pub fn lookup_trigger(name: &str) -> anyhow::Result<&'static Trigger> {
    find_trigger(name).ok_or_else(|| {
        let ids: Vec<&str> = TRIGGERS.iter().map(|t| t.id).collect();
        let hint = match crate::suggest::closest(name, TRIGGERS.iter().flat_map(|t| t.names())) {
            Some(close) => {
                let id = find_trigger(close).map_or(close, |t| t.id);
                format!("did you mean `{id}`?")
            }
            None => format!("known triggers: {}", ids.join(", ")),
        };
        anyhow::anyhow!("unknown trigger `{name}`: {hint} (`servetel triggers` lists them)")
    })
}

/// The nested shape with that name (`agent`, `billing_circle`…).
pub fn shape(name: &str) -> &'static Shape {
    SHAPES
        .iter()
        .find(|s| s.name == name)
        .expect("every Kind names a shape in SHAPES")
}
