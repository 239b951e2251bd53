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
/// the fields behind it (one key may be asked for in several places, and fragments merge).
type Keys<'a> = Vec<(&'a Name, Vec<&'a SelectionSet>)>;

fn order(document: &ExecutableDocument, sets: &[&SelectionSet], value: &mut Value) {
    let mut keys = Keys::new();
    for set in sets {
        collect(document, set, &mut keys, 0);
    }
    apply(document, &keys, value);
}

fn apply(document: &ExecutableDocument, keys: &Keys<'_>, value: &mut Value) {
    match value {
        Value::List(items) => items.iter_mut().for_each(|item| apply(document, keys, item)),
        Value::Object(map) => {
            // Most objects come back in order already (only fields that waited finish late):
            // those keep their map, and only their children are walked.
            let asked = keys.iter().filter(|(key, _)| map.contains_key(*key));
            if asked.clone().count() != map.len() || !map.keys().eq(asked.map(|(key, _)| *key)) {
                let mut unordered = std::mem::take(map);
                for (key, _) in keys {
                    if let Some(inner) = unordered.swap_remove(*key) {
                        map.insert((*key).clone(), inner);
                    }
                }
                map.extend(unordered);
            }
            for (key, sets) in keys {
                if sets.iter().any(|s| !s.items.is_empty())
                    && let Some(inner) = map.get_mut(*key)
                {
                    order(document, sets, inner);
                }
            }
        }
        _ => {}
    }
}

/// Fragments nest no deeper than this in a valid document (validation refuses cycles; the
/// bound only keeps a mistake from recursing for ever).
const MAX_FRAGMENT_DEPTH: usize = 64;

fn collect<'a>(document: &'a ExecutableDocument, set: &'a SelectionSet, keys: &mut Keys<'a>, depth: usize) {
    if depth > MAX_FRAGMENT_DEPTH {
        return;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let key = &field.node.response_key().node;
                let sub = &field.node.selection_set.node;
                match keys.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, sets)) => sets.push(sub),
                    None => keys.push((key, vec![sub])),
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
}
