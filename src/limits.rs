//! Limits on the shape of a GraphQL document that async-graphql does not check by itself: how
//! many aliases a document may use and how many root fields one operation may select. Both stop
//! "alias bombs" that ask for the same expensive field thousands of times under new names. Root
//! fields are counted with fragments expanded, so that `{ ... on Query { … } }` or a spread
//! fragment does not slip past the cap.
//! Depth and complexity limits are set on the schema (see `schema::build`).

use std::{collections::HashMap, sync::Arc};

use async_graphql::{
    Name, Positioned, ServerError, ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery},
    parser::types::{ExecutableDocument, FragmentDefinition, Selection, SelectionSet},
};

/// The shape limits of a request.
#[derive(Clone, Copy, Debug)]
pub struct ShapeLimits {
    /// Most aliased fields in one document.
    pub max_aliases: usize,
    /// Most fields at the root of one operation.
    pub max_root_fields: usize,
}

impl ExtensionFactory for ShapeLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => usize::from(f.node.alias.is_some()) + count_aliases(&f.node.selection_set.node),
            Selection::InlineFragment(f) => count_aliases(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// The fields a selection set selects at its own level, fragments expanded: every field of an
/// inline fragment or a spread fragment counts as if written in place, as many times as it is
/// spread. `counted` remembers each fragment's count (so that spreading fragments into one
/// another costs the counter no more than the document's length); a fragment met again while
/// it is being counted (a cycle, which validation refuses later) counts nothing.
fn count_fields(
    set: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    counted: &mut HashMap<Name, Option<usize>>,
) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(_) => 1,
            Selection::InlineFragment(f) => count_fields(&f.node.selection_set.node, fragments, counted),
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                match counted.get(name) {
                    Some(Some(n)) => *n,
                    Some(None) => 0,
                    None => {
                        counted.insert(name.clone(), None);
                        let n = fragments
                            .get(name)
                            .map_or(0, |f| count_fields(&f.node.selection_set.node, fragments, counted));
                        counted.insert(name.clone(), Some(n));
                        n
                    }
                }
            }
        })
        .fold(0, usize::saturating_add)
}

fn refuse(message: String) -> ServerError {
    let mut err = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", "BAD_USER_INPUT");
    err.extensions = Some(ext);
    err
}

/// Checks a parsed document against the limits.
pub fn check(doc: &ExecutableDocument, limits: ShapeLimits) -> Result<(), ServerError> {
    let aliases: usize = doc.operations.iter().map(|(_, op)| count_aliases(&op.node.selection_set.node)).sum::<usize>()
        + doc.fragments.values().map(|f| count_aliases(&f.node.selection_set.node)).sum::<usize>();
    if aliases > limits.max_aliases {
        return Err(refuse(format!("the document uses {aliases} aliases; at most {} are allowed", limits.max_aliases)));
    }
    let mut counted = HashMap::new();
    for (_, op) in doc.operations.iter() {
        let roots = count_fields(&op.node.selection_set.node, &doc.fragments, &mut counted);
        if roots > limits.max_root_fields {
            return Err(refuse(format!(
                "an operation selects {roots} root fields; at most {} are allowed",
                limits.max_root_fields
            )));
        }
    }
    Ok(())
}

#[async_graphql::async_trait::async_trait]
impl Extension for ShapeLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        check(&doc, *self)?;
        Ok(doc)
    }
}
