//! The nested shapes variables carry: agent objects, billing circles, lead fields, call-flow steps,
//! departments and IVRs. The sub-field names are also what splits Go `fmt.Sprint` text
//! (`map[id:1 name:Asha Rao]`) back into fields.

/// An object shape, by the name a [`super::Kind`] refers to.
#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    pub description: &'static str,
    pub fields: &'static [SubField],
}

#[derive(Debug)]
pub struct SubField {
    pub name: &'static str,
    pub description: &'static str,
    /// Listed in the docs (else seen in real payloads only).
    pub documented: bool,
}

const fn doc(name: &'static str, description: &'static str) -> SubField {
    SubField {
        name,
        description,
        documented: true,
    }
}

const fn seen(name: &'static str, description: &'static str) -> SubField {
    SubField {
        name,
        description,
        documented: false,
    }
}

#[rustfmt::skip]
pub static SHAPES: &[Shape] = &[
    Shape {
        name: "agent",
        description: "Missed Agent Array/ Answered Agent Array",
        fields: &[
            doc("id", "Unique Extension ID of the Agent"),
            doc("name", "Name of the Agent"),
            doc("number", "Number of the Agent (often a 13-digit extension id)"),
            seen("agent_number", "Phone number of the agent"),
            seen("dialst", "Dial status: Dialed, Answered"),
        ],
    },
    Shape {
        name: "billing_circle",
        description: "Billing circle of the customer's number",
        fields: &[
            doc("operator", "Telecom operator"),
            doc("circle", "Telecom circle (region)"),
        ],
    },
    Shape {
        name: "broadcast_lead_fields",
        description: "broadcast_lead_fields array",
        fields: &[
            doc("Phone_Number", "Phone Number of the Lead"),
            doc("Name", "Name of the Lead"),
            doc("Email_Id", "Email ID of the Lead"),
            doc("Address", "Address of the Lead"),
            doc("Company_Name", "Company Name of the Lead"),
        ],
    },
    Shape {
        name: "call_flow_step",
        description: "One step of call_flow; keys vary with the step type",
        fields: &[
            seen("type", "init, IVR, DTMF, TimeGroup, Auto+Attendant, Inbound Queue, Agent, Agent-Hangup, ClickToCall, hangup"),
            seen("time", "Epoch seconds: a string, an integer or a float"),
            seen("value", "The call id (init step)"),
            seen("id", "Id of the IVR, department, auto attendant or agent"),
            seen("name", "Name of the IVR, department, auto attendant or agent"),
            seen("input", "DTMF key pressed (DTMF step)"),
            seen("ivr_name", "IVR the key was pressed on (DTMF step)"),
            seen("optsts", "Whether the option was valid (DTMF step)"),
            seen("dialst", "Dialed or Answered (Agent step): only Answered took the call"),
            seen("num", "Number dialed (Agent step)"),
            seen("anstime", "Epoch at which the call was answered"),
        ],
    },
    Shape {
        name: "department",
        description: "A department that received the call",
        fields: &[seen("id", "Department id"), seen("name", "Department name")],
    },
    Shape {
        name: "ivr",
        description: "An IVR that received the call",
        fields: &[seen("id", "IVR id"), seen("name", "IVR name")],
    },
];
