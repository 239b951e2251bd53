//! Another duty item (其他履职事项) of a member: a plenary speech, a research report, an article,
//! historical material, an award or public-welfare work, confirmed by the office.

use sea_orm::entity::prelude::*;

use crate::enums::{DutyItemKind, DutyItemStatus};

/// A row of `duty_item`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "duty_item")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The member.
    pub member_id: i64,
    /// Type.
    pub kind: DutyItemKind,
    /// Title.
    pub title: String,
    /// The day it happened or was published.
    pub date: Date,
    /// Evidence: where it was published, who awarded it, what it achieved.
    pub evidence: Option<String>,
    /// Suggestions made (建议条数), e.g. in a research report.
    pub suggestions: i32,
    /// Submitted, confirmed or rejected.
    pub status: DutyItemStatus,
    /// The reviewer's note (the reason for a rejection).
    pub review_note: Option<String>,
    /// The account that confirmed or rejected it.
    pub reviewed_by: Option<i64>,
    /// When it was confirmed or rejected.
    pub reviewed_at: Option<DateTimeUtc>,
    /// When it was submitted.
    pub created_at: DateTimeUtc,
    /// When the record was voided (作废); null while it counts.
    pub voided_at: Option<DateTimeUtc>,
    /// The account that voided it.
    pub voided_by: Option<i64>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}

/// Relations of `duty_item`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
}

impl ActiveModelBehavior for ActiveModel {}
