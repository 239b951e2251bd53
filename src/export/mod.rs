//! Excel workbooks for the office: the roster of a term (with the same columns the roster
//! import reads, so an exported file imports back unchanged) and a year's attendance table.
//! One odd stored row never fails an export: [`cells`] fits every value into what a cell holds.

pub mod cells;
pub mod service;
