//! `Decimal` inputs as the API reads them. async-graphql refuses a number `Decimal` cannot hold
//! ("1e30", 30 digits, 1e30 as a JSON number) while parsing, with no field named; read through
//! [`DecimalInput`] such a value reaches the input's conversion, which refuses it with
//! `BAD_USER_INPUT` on its field like any other bad amount. The schema still says `Decimal`.

use std::borrow::Cow;

use async_graphql::{InputType, InputValueError, InputValueResult, Value, registry::Registry};
use rust_decimal::Decimal;

use crate::error::{AppError, AppResult};

/// A `Decimal` argument or input field: the number, or a string or number that `Decimal`
/// cannot hold (the conversion names the field at fault with [`DecimalInput::read`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecimalInput {
    /// A number `Decimal` holds.
    Value(Decimal),
    /// A string or number that is no `Decimal`: too many digits, an exponent, not a number.
    Unreadable,
}

impl DecimalInput {
    /// The number, or BAD_USER_INPUT on `field`.
    pub fn read(self, field: &str) -> AppResult<Decimal> {
        match self {
            Self::Value(d) => Ok(d),
            Self::Unreadable => Err(AppError::bad_field(
                field,
                format!("{field} is not a decimal number lvzhi can hold (plain digits, at most 28 of them)"),
            )),
        }
    }
}

impl From<Decimal> for DecimalInput {
    fn from(d: Decimal) -> Self {
        Self::Value(d)
    }
}

impl InputType for DecimalInput {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        <Decimal as InputType>::type_name()
    }

    // The same scalar as `Decimal` itself: the schema has one `Decimal`.
    fn create_type_info(registry: &mut Registry) -> String {
        <Decimal as InputType>::create_type_info(registry)
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        match value {
            Some(v @ (Value::String(_) | Value::Number(_))) => {
                Ok(<Decimal as InputType>::parse(Some(v)).map_or(Self::Unreadable, Self::Value))
            }
            // Booleans, lists, objects and a missing value stay the engine's type errors.
            other => Err(InputValueError::expected_type(other.unwrap_or_default())),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Self::Value(d) => <Decimal as InputType>::to_value(d),
            Self::Unreadable => Value::Null,
        }
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }
}
