//! Everything servetel draws for people: tables, colored JSON, the reference pages. Renderers
//! are pure: they return text, and the commands write it.

pub mod call_summary;
pub mod calls;
pub mod contract;
pub mod findings;
pub mod json;
pub mod reference;
pub mod table;
