//! Excel workbooks for the office: the roster of a term (with the same columns the roster
//! import reads, so an exported file imports back unchanged) and a year's attendance table.

pub mod service;
