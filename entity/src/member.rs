//! A member (委员): a person, who may sit in several terms.

use sea_orm::entity::prelude::*;

use crate::enums::Gender;

/// A row of `member`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "member")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Full name as written (汉字, simplified or traditional).
    pub name: String,
    /// Toneless full pinyin of the name, lower case, no spaces: the sort and search key.
    pub name_pinyin: String,
    /// Pinyin initials of the name, lower case ("lxq" for 李晓秋).
    pub name_initials: String,
    /// The name folded to simplified characters (鄭利 → 郑利): the key a search in 汉字 matches,
    /// so that either script finds both. Filled at start-up for rows written before it existed.
    pub name_folded: Option<String>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Ethnicity (民族), e.g. "汉族".
    pub ethnicity: Option<String>,
    /// Date of birth (personal data).
    pub birth_date: Option<Date>,
    /// Mobile phone (personal data).
    pub phone: Option<String>,
    /// Free-text notes by the office.
    pub notes: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row was last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of `member`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The member's seats, one per term.
    #[sea_orm(has_many = "super::seat::Entity")]
    Seat,
}

impl Related<super::seat::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Seat.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
