//! The value each variable takes for one event of a synthetic call, shaped as real traffic
//! shapes it (docs/wire.md, "Values"): numbers as strings, `""` for absent, IST stamps, mixed phone
//! formats, literal placeholders where the platform leaves them.

use serde_json::{Value, json};

use super::Profile;
use super::call::{Agent, Call};
use crate::catalog::{Outcome, Stage, Trigger, Var, vocab};
use crate::timestamp::{self, Dialect};

/// What a field needs to know to take its value.
pub struct Event<'a> {
    pub call: &'a Call,
    pub trigger: &'a Trigger,
    pub profile: Profile,
}

fn s(v: impl ToString) -> Value {
    Value::String(v.to_string())
}

fn empty() -> Value {
    Value::String(String::new())
}

/// A number as live events and agent objects carry it: `+91` and the 10 national digits; a
/// number given in another form (`--caller +1415…`, a landline) as it was given.
fn prefixed(number: &str) -> String {
    if number.len() == 10 {
        format!("{}{number}", vocab::COUNTRY_PREFIX)
    } else {
        number.to_string()
    }
}

/// A number as the hangup family carries it: the bare digits.
fn bare(number: &str) -> &str {
    number.trim_start_matches('+')
}

impl Event<'_> {
    /// The instant at which this trigger fires in the call.
    pub fn at(&self) -> i64 {
        let c = self.call;
        match self.trigger.stage {
            Stage::ReceivedOnServer => c.start,
            Stage::AnsweredOnIvr | Stage::ReceivedOnAutoAttendant => c.ivr_answered_at,
            Stage::DtmfPressed => c.dtmf_at,
            Stage::ReceivedOnDepartment => c.department_at,
            Stage::DialedOnAgent => c.agents.last().map_or(c.department_at, |a| a.dialed_at),
            Stage::AnsweredByAgent | Stage::AnsweredByCustomer | Stage::ConnectedToAgent => {
                c.answered_at.unwrap_or(c.end)
            }
            Stage::HungUp => c.end,
            Stage::Disposed => c.end + c.wrap_up_secs,
        }
    }

    fn live(&self) -> bool {
        !self.trigger.is_hangup_family()
    }

    fn real(&self) -> bool {
        self.profile == Profile::Real
    }

    /// Live events carry `+91…`; the hangup of the same call the bare 10 digits (docs/wire.md, "Phones, ids, URLs"),
    /// or on a dialer call `91…` (the dialer's own phone format, §4.5).
    fn phone(&self, number: &str) -> Value {
        match (self.live(), self.call.dialer && number.len() == 10) {
            (true, _) => s(prefixed(number)),
            (false, true) => s(format!(
                "{}{number}",
                vocab::COUNTRY_PREFIX.trim_start_matches('+')
            )),
            (false, false) => s(bare(number)),
        }
    }

    /// Whether this event's default template says the call is a dialer's (a `direction` or the
    /// lead fields): only then may `call_to_number` be "" (docs/rules.md, `missing`).
    fn shows_dialer(&self) -> bool {
        self.trigger
            .template(self.profile)
            .iter()
            .any(|v| matches!(v.name, "direction" | "broadcast_lead_fields"))
    }

    /// A broadcast's lead as the docs number its columns (`$field_0` phone, `$field_1` name,
    /// email, address, company, then `$field_5` a custom detail); `None` on other calls.
    fn lead_columns(&self) -> Option<Vec<String>> {
        let lead = self.call.lead.as_ref()?;
        let phone = bare(&self.call.customer).to_string();
        let rest = [
            &lead.name,
            &lead.email,
            &lead.address,
            &lead.company,
            &lead.note,
        ];
        Some(
            std::iter::once(phone)
                .chain(rest.into_iter().cloned())
                .collect(),
        )
    }

    /// The stamp dialect of the call: the dialer's `7/11/2026, 9:12:56 PM` on dialer calls.
    fn dialect(&self) -> Dialect {
        if self.call.dialer {
            Dialect::Dialer
        } else {
            Dialect::Servetel
        }
    }

    fn stamp(&self, epoch: i64) -> Value {
        s(timestamp::format(epoch, self.dialect()))
    }

    /// The agents of an answered call: one object, or on dialer calls an array of every agent
    /// the call went to, the one who has it last (docs/wire.md, "Type unions").
    fn answered_agents(&self, agent: &Agent) -> Value {
        if !self.call.dialer {
            return self.agent(agent, true);
        }
        let last = self.call.agents.len() - 1;
        Value::Array(
            self.call
                .agents
                .iter()
                .enumerate()
                .map(|(i, a)| self.agent(a, i == last))
                .collect(),
        )
    }

    fn agent(&self, agent: &Agent, answered: bool) -> Value {
        let mut obj = json!({"id": agent.id, "name": agent.name, "number": agent.extension});
        if self.real() {
            obj["agent_number"] = s(prefixed(&agent.phone));
            obj["dialst"] = s(if answered { "Answered" } else { "Dialed" });
        }
        obj
    }

    fn direction(&self) -> &'static str {
        let inbound = self.call.call_type == crate::catalog::CallType::Inbound;
        if self.call.dialer {
            return if inbound {
                vocab::DIALER_INBOUND
            } else {
                vocab::DIALER_OUTBOUND
            };
        }
        match (self.call.click_to_call, self.live()) {
            (false, _) if self.call.call_type == crate::catalog::CallType::Inbound => {
                vocab::INBOUND
            }
            (false, _) => vocab::OUTBOUND,
            (true, true) => vocab::CLICK_TO_CALL_LIVE,
            (true, false) => vocab::CLICK_TO_CALL,
        }
    }

    /// The call flow up to this event: init, IVR, DTMF, department, each agent dialed, hangup.
    fn call_flow(&self) -> Value {
        let c = self.call;
        let at = self.at();
        // Real flows mix epoch types: a string, an int and a float with milliseconds.
        let time = |t: i64, style: usize| -> Value {
            match (self.real(), style % 3) {
                (false, _) | (true, 0) => s(t),
                (true, 1) => json!(t),
                (true, _) => json!(t as f64 + 0.25),
            }
        };
        let mut steps = vec![json!({"type": "init", "value": c.call_id, "time": time(c.start, 0)})];
        if c.has_ivr() && at >= c.ivr_answered_at {
            let (id, name) = &c.ivr;
            steps.push(
                json!({"type": "IVR", "id": id, "name": name, "time": time(c.ivr_answered_at, 1)}),
            );
        }
        if c.has_ivr() && at >= c.dtmf_at {
            steps.push(
                json!({"type": "DTMF", "input": c.digit.to_string(), "ivr_name": c.ivr.1,
                "optsts": "Valid", "time": time(c.dtmf_at, 1)}),
            );
        }
        if c.has_ivr() && at >= c.department_at {
            let (id, name) = &c.department;
            steps.push(json!({"type": "Inbound Queue", "id": id, "name": name, "time": time(c.department_at, 1)}));
        }
        for (i, agent) in c.agents.iter().enumerate() {
            if agent.dialed_at > at {
                break;
            }
            let took_it =
                c.answered && i == c.agents.len() - 1 && c.answered_at.is_some_and(|a| a <= at);
            steps.push(json!({"type": "Agent", "id": agent.id, "name": agent.name,
                "dialst": if took_it { "Answered" } else { "Dialed" },
                "num": prefixed(&agent.phone), "time": time(agent.dialed_at, 2)}));
        }
        if self.trigger.is_hangup_family() {
            steps.push(json!({"type": "hangup", "time": time(c.end, 1)}));
        }
        Value::Array(steps)
    }

    /// The value of one variable at this event.
    pub fn value(&self, var: &Var) -> Value {
        let c = self.call;
        let answered = c.answered && c.answered_at.is_some_and(|at| at <= self.at());
        let agent = c.answering_agent().filter(|_| answered);
        let (customer, ours) = (self.phone(&c.customer), self.phone(&c.did));
        let inbound = c.call_type == crate::catalog::CallType::Inbound;
        let cause = c.hangup_cause.unwrap_or(if c.answered {
            &vocab::NORMAL_CLEARING
        } else {
            &vocab::NO_ANSWER
        });
        let (legacy_cause, reason) = vocab::hangup_words(cause, c.answered, c.caller_hung_up);
        match var.name {
            "uuid" => s(&c.uuid),
            "call_id" => s(&c.call_id),
            // A broadcast calls a lead from a list: no number dialed (docs/wire.md, "Dialer and
            // broadcast calls").
            "call_to_number" if c.lead.is_some() && self.shows_dialer() => empty(),
            "call_to_number" => {
                if inbound {
                    ours
                } else {
                    customer
                }
            }
            "caller_id_number" => {
                if inbound {
                    customer
                } else {
                    ours
                }
            }
            "did_number" => s(&c.did),
            "customer_number_with_prefix" if c.customer.len() == 10 => {
                let country = vocab::COUNTRY_PREFIX.trim_start_matches('+');
                s(format!("{country}{}", c.customer))
            }
            "customer_number_with_prefix" => s(bare(&c.customer)),
            "start_stamp" => self.stamp(c.start),
            "answer_stamp" => c.answered_at.map_or_else(empty, |t| self.stamp(t)),
            "end_stamp" => self.stamp(c.end),
            "date" => self.stamp(self.at()),
            "start_date" => s(timestamp::format_date_time_in(c.start, self.dialect()).0),
            "start_time" => s(timestamp::format_date_time_in(c.start, self.dialect()).1),
            "duration" => s(c.end - c.start),
            // `billsec` is "" on dialer calls (docs/wire.md, "Numbers are strings").
            "billsec" if c.dialer => empty(),
            "billsec" | "bridged_duration" | "outbound_sec" => s(c.talk_secs()),
            "call_connected" => s(u8::from(c.answered)),
            "direction" => s(self.direction()),
            "digits_dialed" if c.has_ivr() => json!([c.digit.to_string()]),
            "digit_pressed" => s(c.digit),
            "call_flow" => self.call_flow(),
            "answered_agent" => agent.map_or_else(empty, |a| self.answered_agents(a)),
            "answered_agent_name" => agent.map_or_else(empty, |a| s(&a.name)),
            "answered_agent_number" => agent.map_or_else(empty, |a| s(bare(&a.phone))),
            // The agent on the call: who took it, or on a missed one the last agent it rang.
            "agent_number" => c.last_agent().map_or_else(empty, |a| s(bare(&a.phone))),
            "answer_agent_number" => agent.map_or_else(empty, |a| s(prefixed(&a.phone))),
            // On a dialer call every agent is in `answered_agent` once one took it.
            "missed_agent" if c.dialer && c.answered => empty(),
            "missed_agent" if !c.missed_agents().is_empty() => Value::Array(
                c.missed_agents()
                    .iter()
                    .map(|a| self.agent(a, false))
                    .collect(),
            ),
            "agent_ring_time" => s(c.agents.last().map_or(0, |a| a.ring_secs)),
            "customer_ring_time" => s(c.customer_ring_secs),
            // Seen sent literally on calls without a transfer (docs/wire.md, "Literal
            // `$placeholders`"); the docs profile's template leaves it out, a tenant's may not.
            "agent_transfer_ring_time" => s("$agent_transfer_ring_time"),
            "hangup_cause" => s(legacy_cause),
            "hangup_cause_key" => s(cause.key),
            "hangup_cause_code" => s(cause.code),
            "hangup_cause_description" => s(cause.description),
            "reason_key" => s(reason),
            "call_status" => s(match self.trigger.stage {
                Stage::AnsweredByAgent => vocab::STATUS_ANSWERED_BY_AGENT,
                Stage::AnsweredByCustomer => vocab::STATUS_ANSWERED_BY_CUSTOMER,
                _ if c.answered => vocab::STATUS_ANSWERED,
                _ if self.trigger.outcome == Outcome::CustomerMissed => {
                    vocab::STATUS_MISSED_BY_CUSTOMER
                }
                _ => vocab::STATUS_MISSED,
            }),
            "recording_url" if c.recorded => s(format!(
                "https://recordings.servetel.in/file/recording?callId={}&type=rec&token={}%3D%3D",
                c.call_id, c.recording_token
            )),
            "recording_name" if c.recorded => s(format!("{}.mp3", c.call_id)),
            "aws_call_recording_identifier" if c.recorded => s(&c.aws_recording_id),
            "campaign_name" if c.dialer => s(&c.campaign.1),
            "campaign_id" if c.dialer => s(&c.campaign.0),
            // Not a campaign call: the platform leaves the placeholder in (docs/wire.md, "Literal `$placeholders`").
            "campaign_name" if self.real() => s("$campaign_name"),
            // The lead's columns, named by the docs' shape; `$field_N` is column N.
            "broadcast_lead_fields" => self.lead_columns().map_or_else(empty, |columns| {
                let names = crate::catalog::shape("broadcast_lead_fields").fields;
                let pairs = names
                    .iter()
                    .zip(columns)
                    .map(|(f, v)| (f.name.to_string(), s(v)));
                Value::Object(pairs.collect())
            }),
            field if field.starts_with("field_") => {
                let n: usize = field[6..].parse().unwrap_or(usize::MAX);
                let column = self.lead_columns().and_then(|c| c.into_iter().nth(n));
                column.map_or_else(empty, s)
            }
            "disposition" => s(c.disposition),
            "billing_circle" => {
                json!({"operator": c.billing_circle.0, "circle": c.billing_circle.1})
            }
            "ivr_id" => s(&c.ivr.0),
            "ivr_name" if var.kind == crate::catalog::Kind::TextList => json!([c.ivr.1]),
            "ivr_name" => s(&c.ivr.1),
            "ivrs" => json!([{"id": c.ivr.0, "name": c.ivr.1}]),
            "dept_id" => s(&c.department.0),
            "dept_name" if var.kind == crate::catalog::Kind::TextList => json!([c.department.1]),
            "dept_name" => s(&c.department.1),
            "departments" => json!([{"id": c.department.0, "name": c.department.1}]),
            "auto_attendant_id" => s(&c.auto_attendant.0),
            "auto_attendant_name" => s(&c.auto_attendant.1),
            "channel_id" => s(format!("PJSIP/trunk-{}", &c.uuid[5..13])),
            // Everything else is absent on this call: no API call, and what a broadcast or a
            // campaign sets was given above when the call is one.
            _ => empty(),
        }
    }
}
