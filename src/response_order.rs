//! Puts a response's fields back in the order they were requested (the GraphQL spec's
//! serialised map ordering, CollectFields order). async-graphql resolves the fields of an
//! object concurrently and keeps them in the order they *finish*
//! (async-graphql/async-graphql#612): a field that waits on the database comes after one that
//! does not, whatever the query said. The document says the order; this walks the response
//! along it. (The serialisation keeps it too: serde_json's `preserve_order`.)

use async_graphql::{
    Name, Value,
    parser::types::{DocumentOperations, ExecutableDocument, Selection, SelectionSet},
};

/// Orders every object of `data` as the selected operation of `document` requests its fields.
/// Fields the document does not name (there are none in a valid response) stay, at the end.
pub fn reorder(document: &ExecutableDocument, operation_name: Option<&str>, data: &mut Value) {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    };
    if let Some(operation) = operation {
        order(document, &[&operation.node.selection_set.node], data);
    }
}

/// The response keys the selection sets ask for, in order, each with the selection sets of
/// the fields behind it (one key may be asked for in several places, and fragments merge) and,
/// once some value needed them, the keys those sets ask for in turn: every object of a list
/// shares them, so they are collected once per list, not once per object.
struct Keys<'a> {
    keys: Vec<Key<'a>>,
}

struct Key<'a> {
    name: &'a Name,
    sets: Vec<&'a SelectionSet>,
    inner: std::cell::OnceCell<Keys<'a>>,
}

impl<'a> Keys<'a> {
    fn of(document: &'a ExecutableDocument, sets: &[&'a SelectionSet]) -> Self {
        let mut keys = Vec::new();
        for set in sets {
            collect(document, set, &mut keys, 0);
        }
        Self { keys }
    }
}

fn order(document: &ExecutableDocument, sets: &[&SelectionSet], value: &mut Value) {
    apply(document, &Keys::of(document, sets), value);
}

fn apply<'a>(document: &'a ExecutableDocument, keys: &Keys<'a>, value: &mut Value) {
    match value {
        Value::List(items) => items.iter_mut().for_each(|item| apply(document, keys, item)),
        Value::Object(map) => {
            // Most objects come back in order already (only fields that waited finish late):
            // their keys follow the document's (a field of another type's fragment may be
            // missing), which a walk along both tells without hashing a key.
            let mut asked = keys.keys.iter();
            if !map.keys().all(|name| asked.any(|key| key.name == name)) {
                let mut unordered = std::mem::take(map);
                for key in &keys.keys {
                    if let Some(inner) = unordered.swap_remove(key.name) {
                        map.insert(key.name.clone(), inner);
                    }
                }
                map.extend(unordered);
            }
            // In order now: the keys are found by walking along the document's again.
            let mut asked = keys.keys.iter();
            for (name, inner) in map.iter_mut() {
                let Some(key) = asked.find(|key| key.name == name) else { break };
                if matches!(inner, Value::Object(_) | Value::List(_)) && key.sets.iter().any(|s| !s.items.is_empty()) {
                    apply(document, key.inner.get_or_init(|| Keys::of(document, &key.sets)), inner);
                }
            }
        }
        _ => {}
    }
}

/// Fragments nest no deeper than this in a valid document (validation refuses cycles; the
/// bound only keeps a mistake from recursing for ever).
const MAX_FRAGMENT_DEPTH: usize = 64;

fn collect<'a>(document: &'a ExecutableDocument, set: &'a SelectionSet, keys: &mut Vec<Key<'a>>, depth: usize) {
    if depth > MAX_FRAGMENT_DEPTH {
        return;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let key = &field.node.response_key().node;
                let sub = &field.node.selection_set.node;
                match keys.iter_mut().find(|k| k.name == key) {
                    Some(found) => found.sets.push(sub),
                    None => keys.push(Key { name: key, sets: vec![sub], inner: std::cell::OnceCell::new() }),
                }
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    collect(document, &fragment.node.selection_set.node, keys, depth + 1);
                }
            }
            Selection::InlineFragment(fragment) => {
                collect(document, &fragment.node.selection_set.node, keys, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn keys_of(value: &Value) -> Vec<String> {
        match value {
            Value::Object(map) => map.keys().map(|k| k.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn objects_lists_aliases_and_fragments_follow_the_document() {
        let document = parse_query("query Q { b: x { ...F z } a { ... on T { d c } } } fragment F on X { y w }")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut data = Value::from_json(serde_json::json!({
            "a": [{ "c": 1, "d": 2 }, { "c": 3, "d": 4 }],
            "b": { "w": 1, "y": 2, "z": 3 },
        }))
        .unwrap_or_else(|e| panic!("{e}"));

        reorder(&document, Some("Q"), &mut data);

        assert_eq!(keys_of(&data), ["b", "a"]);
        let Value::Object(map) = &data else { panic!("an object") };
        assert_eq!(keys_of(&map["b"]), ["y", "w", "z"]);
        let Value::List(items) = &map["a"] else { panic!("a list") };
        assert!(items.iter().all(|item| keys_of(item) == ["d", "c"]));
    }

    #[test]
    fn lists_in_lists_follow_the_document_in_every_object() {
        // The inner keys are collected once for the whole list: every object must still get
        // them, in order or not, and a key of another type's fragment may be missing.
        let document =
            parse_query("{ a { d ... on T { e { g f } } ... on U { h } } }").unwrap_or_else(|e| panic!("{e}"));
        let mut data = Value::from_json(serde_json::json!({
            "a": [
                { "e": [{ "f": 1, "g": 2 }, { "g": 3, "f": 4 }], "d": 1 },
                { "d": 2, "e": [{ "f": 5, "g": 6 }] },
                { "h": 3, "d": 3 },
            ],
        }))
        .unwrap_or_else(|e| panic!("{e}"));

        reorder(&document, None, &mut data);

        let Value::Object(map) = &data else { panic!("an object") };
        let Value::List(items) = &map["a"] else { panic!("a list") };
        assert_eq!(keys_of(&items[0]), ["d", "e"]);
        assert_eq!(keys_of(&items[1]), ["d", "e"]);
        assert_eq!(keys_of(&items[2]), ["d", "h"]);
        for item in &items[..2] {
            let Value::Object(item) = item else { panic!("an object") };
            let Value::List(inner) = &item["e"] else { panic!("a list") };
            assert!(inner.iter().all(|o| keys_of(o) == ["g", "f"]), "{inner:?}");
        }
    }
}
