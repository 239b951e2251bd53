//! Enumerations stored as short upper-case strings, each with the Chinese label users see.

/// Declares a string-backed enum that is at once a SeaORM active enum and a GraphQL enum, with a
/// Chinese label per value.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal => $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, async_graphql::Enum, serde::Serialize, serde::Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[sea_orm(string_value = $value)]
                // Serialised (into the audit log and stored score lines) as stored and as the API
                // spells it: PRESENT, not Present.
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            /// The Chinese label shown to users.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }

            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];
        }
    };
}

mod assessment;
mod duty;
mod exit;
mod organisation;
mod proposals;

pub use assessment::*;
pub use duty::*;
pub use exit::*;
pub use organisation::*;
pub use proposals::*;
