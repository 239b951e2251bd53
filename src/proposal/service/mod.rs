//! Rules and queries of proposals, cut along their seams: [`query`] reads them, [`lifecycle`]
//! and [`handling`] change them, [`statistics`] counts them, [`labels`] names the result
//! classes. Every public item is re-exported here, as `proposal::service::…`.
//!
//! The lifecycle is a state machine; every transition checks the state it starts from (an
//! illegal one is BAD_USER_INPUT and changes nothing), runs in one transaction and writes a row
//! of `proposal_action`, which the proposal points to as its latest action:
//!
//! ```text
//! SUBMITTED  → ACCEPTED (立案) | NOT_ACCEPTED (reason) | MERGED (into an accepted one) | RETURNED
//! RETURNED   → SUBMITTED (resubmitted)
//! ACCEPTED   → ASSIGNED (交办: one SOLE unit, or one LEAD with CO units)
//! ASSIGNED   → ASSIGNED (more units; a unit answers or refuses) | ACCEPTED (the last unit refused)
//!            | ANSWERED (every unit answered)
//! ANSWERED   → FEEDBACK | CLOSED
//! FEEDBACK   → CLOSED | ASSIGNED (reopened after DISSATISFIED feedback)
//! SUBMITTED | RETURNED | NOT_ACCEPTED → CONVERTED (now a public-opinion report)
//! ```
//!
//! Fields at fault are named as the functions' own inputs call them (`title`,
//! `units.0.handlingUnitId`); the GraphQL layer places them under `input`.

pub mod handling;
pub mod labels;
pub mod lifecycle;
pub mod query;
pub mod statistics;

pub use handling::{
    Answer, DEFAULT_HANDLING_MONTHS, REFUSAL_DAYS, UnitAssignment, answer, assign, record_feedback, refuse_assignment,
    reopen,
};
pub use labels::{result_class_labels, result_classes, set_result_class_label};
pub use lifecycle::{
    Flags, NewProposal, Review, Revision, close, convert_to_opinion_report, flag, resubmit, review, submit,
};
pub use query::{ProposalFilter, find, list, readable, readable_by_id, signed_first_pages};
pub use statistics::{ClassCount, ProposalStatistics, YearFigures, rate, statistics, year_figures};

pub use crate::signed::service::{MAX_TITLE_CHARS, NewSigner};
/// Kept where the plan's progress query imports it from; it lives in [`crate::sql`].
pub use crate::sql::count_if;
