//! Objects answered in one pass over their selection (issue 21).
//!
//! async-graphql resolves every field of every object as a future of its own: a boxed future,
//! a task in a `FuturesUnordered` per object, a map built as the fields finish. For fields whose
//! values are already in memory — a subtotal's points, a sector's name, a result's rank — that
//! machinery is most of what a request costs: the appraisal view's 50 results carry some 400
//! subtotal objects, a run's groups by studio some 3,000 grade counts and category means, and
//! allocation was a fifth of the server's CPU (BENCHMARKS.md).
//!
//! A type that implements [`Plain`] names the fields it can answer from its own data. Wrapped
//! in [`Fast`] where a resolver returns it, its plain fields are written straight into the
//! answer, and only the others (a relation read through a loader, a field with an access rule)
//! are resolved as async-graphql resolves them, concurrently, in one future. A selection that
//! is not a plain list of fields — a fragment, a directive, one response key asked twice —
//! falls back to the type's ordinary resolution, so the answer is the same either way. Only
//! fields that need no context belong in [`Plain::plain`]: nothing read from the database, no
//! access check, no error.
//!
//! The fields resolved here do not pass through async-graphql extensions' `resolve` hooks.
//! lvzhi installs none (the shape limits hook `parse_query` only); an extension that needs to
//! see every field would have to be called here too.

use std::borrow::Cow;

use async_graphql::{
    ContainerType, ContextSelectionSet, EnumType, Name, OutputType, Positioned, ScalarType, ServerResult, Value,
    indexmap::IndexMap,
    parser::types::{Field, Selection, SelectionSet},
    registry::Registry,
};

/// A type some of whose fields are plain values of its own.
pub trait Plain: OutputType + ContainerType {
    /// The value of `field` (a field of this type the document selected) when this type can
    /// answer it from its own data, `None` otherwise (then it is resolved as usual). A field
    /// whose type is an object answers with [`object`] or [`list`] over its own selection; one
    /// with arguments reads them with [`enum_argument`] and answers `None` for a variable.
    fn plain(&self, field: &Field) -> Option<Value>;
}

/// A [`Plain`] type as a resolver returns it: the same GraphQL type, answered in one pass when
/// the selection allows it.
pub struct Fast<T>(pub T);

impl<T: Plain> OutputType for Fast<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        match fields_of(&ctx.item.node) {
            Some(fields) => Ok(mixed(&self.0, ctx, &fields).await),
            None => self.0.resolve(ctx, field).await,
        }
    }
}

/// The fields of a selection set when it is a plain list of them: no fragments, no
/// directives, each response key once.
fn fields_of(selections: &SelectionSet) -> Option<Vec<&Positioned<Field>>> {
    let mut fields = Vec::with_capacity(selections.items.len());
    for selection in &selections.items {
        let Selection::Field(field) = &selection.node else { return None };
        if !field.node.directives.is_empty() {
            return None;
        }
        let key = field.node.response_key();
        if fields.iter().any(|f: &&Positioned<Field>| f.node.response_key().node == key.node) {
            return None;
        }
        fields.push(field);
    }
    Some(fields)
}

/// `value` answered along `fields`: its plain fields written at once, the others resolved
/// concurrently as the ordinary resolution would (an error recorded and the field left out,
/// as there).
async fn mixed<T: Plain>(value: &T, ctx: &ContextSelectionSet<'_>, fields: &[&Positioned<Field>]) -> Value {
    let mut answers: Vec<Option<Value>> = Vec::with_capacity(fields.len());
    let mut pending = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let answer = if field.node.name.node == "__typename" {
            Some(Value::String(value.introspection_type_name().into_owned()))
        } else {
            value.plain(&field.node)
        };
        if answer.is_none() {
            pending.push(i);
        }
        answers.push(answer);
    }
    let resolved = futures_util::future::join_all(pending.iter().map(|&i| async move {
        let ctx_field = ctx.with_field(fields[i]);
        value.resolve_field(&ctx_field).await
    }))
    .await;
    for (&i, result) in pending.iter().zip(resolved) {
        match result {
            Ok(answer) => answers[i] = Some(answer.unwrap_or_default()),
            Err(error) => ctx.add_error(error),
        }
    }
    let mut map: IndexMap<Name, Value> = IndexMap::with_capacity(fields.len());
    for (field, answer) in fields.iter().zip(answers) {
        if let Some(answer) = answer {
            map.insert(field.node.response_key().node.clone(), answer);
        }
    }
    // As async-graphql answers an object none of whose fields could be resolved.
    if map.is_empty() { Value::Null } else { Value::Object(map) }
}

/// `value` answered along `selections`, or `None` when some selection is not a plain field of
/// its type.
pub fn object<T: Plain>(value: &T, selections: &SelectionSet) -> Option<Value> {
    let fields = fields_of(selections)?;
    let mut map: IndexMap<Name, Value> = IndexMap::with_capacity(fields.len());
    for field in fields {
        let field = &field.node;
        let answer = if field.name.node == "__typename" {
            Value::String(value.introspection_type_name().into_owned())
        } else {
            value.plain(field)?
        };
        map.insert(field.response_key().node.clone(), answer);
    }
    Some(Value::Object(map))
}

/// A list of `values` answered along `field`'s selection, or `None` as for [`object`].
pub fn list<T: Plain>(values: &[T], field: &Field) -> Option<Value> {
    values.iter().map(|v| object(v, &field.selection_set.node)).collect::<Option<Vec<_>>>().map(Value::List)
}

/// A scalar's value, as async-graphql writes it.
pub fn scalar<T: ScalarType>(value: &T) -> Option<Value> {
    Some(value.to_value())
}

/// An enum's value, as async-graphql writes it.
pub fn enumerated<T: EnumType>(value: T) -> Option<Value> {
    Some(async_graphql::resolver_utils::enum_value(value))
}

/// A string's value.
pub fn text(value: &str) -> Option<Value> {
    Some(Value::String(value.to_owned()))
}

/// The enum literal written as argument `name` of `field` (`None` when it is absent or a
/// variable: the field is then resolved as usual).
pub fn enum_argument<T: EnumType>(field: &Field, name: &str) -> Option<T> {
    match field.get_argument(name)?.node.clone().into_const()? {
        Value::Enum(item) => T::items().iter().find(|i| i.name == item.as_str()).map(|i| i.value),
        _ => None,
    }
}

/// A nullable scalar's value (null when absent).
pub fn optional<T: ScalarType>(value: &Option<T>) -> Option<Value> {
    Some(value.as_ref().map_or(Value::Null, ScalarType::to_value))
}

/// A nullable enum's value (null when absent).
pub fn optional_enum<T: EnumType>(value: Option<T>) -> Option<Value> {
    Some(value.map_or(Value::Null, async_graphql::resolver_utils::enum_value))
}

/// A nullable string's value (null when absent).
pub fn optional_text(value: Option<&str>) -> Option<Value> {
    Some(value.map_or(Value::Null, |v| Value::String(v.to_owned())))
}
