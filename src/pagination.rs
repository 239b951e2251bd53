//! Keyset pagination in SQL, correct in both directions.
//!
//! A list is ordered by an [`Ordering`]: named sort keys ending in a unique column. A cursor is
//! an opaque token holding the ordering's name and the key values of one row, so a page boundary
//! is a `WHERE` on those keys (never an `OFFSET`), and a cursor made under one ordering is refused
//! under another. An ordering may lead with a computed rank (a search's exact-first CASE
//! expression); the rank is then part of every cursor.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::NaiveDate;
use futures_util::FutureExt;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, JoinType, ModelTrait,
    Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Value,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

/// Page size when the client gives neither `first` nor `last`.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

/// The Relay arguments of a connection field.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    /// Take this many items from the start of the window.
    pub first: Option<i32>,
    /// Start after this cursor.
    pub after: Option<String>,
    /// Take this many items from the end of the window.
    pub last: Option<i32>,
    /// Stop before this cursor.
    pub before: Option<String>,
}

impl PageArgs {
    /// Forward pagination with a page size.
    pub fn first(n: i32) -> Self {
        Self { first: Some(n), ..Self::default() }
    }

    /// The page size when these arguments ask for the first page of a list (no cursor, no
    /// `last`), which a parent list can batch; none otherwise. Sizes are checked as for any page.
    pub fn first_page_size(&self) -> AppResult<Option<u64>> {
        if self.after.is_some() || self.before.is_some() || self.last.is_some() {
            return Ok(None);
        }
        match self.first {
            None => Ok(Some(DEFAULT_PAGE_SIZE)),
            Some(n) => match u64::try_from(n) {
                Ok(n) if n <= MAX_PAGE_SIZE => Ok(Some(n)),
                Ok(_) => Err(AppError::bad_field("first", format!("first must be at most {MAX_PAGE_SIZE}"))),
                Err(_) => Err(AppError::bad_field("first", "first must not be negative")),
            },
        }
    }

    /// Checks the page size and decodes the cursors for `ordering`.
    fn window<E: EntityTrait>(&self, ordering: &Ordering<E>) -> AppResult<Window> {
        let size = |field: &str, n: i32| -> AppResult<u64> {
            match u64::try_from(n) {
                Ok(n) if n <= MAX_PAGE_SIZE => Ok(n),
                Ok(_) => Err(AppError::bad_field(field, format!("{field} must be at most {MAX_PAGE_SIZE}"))),
                Err(_) => Err(AppError::bad_field(field, format!("{field} must not be negative"))),
            }
        };
        let (limit, backward) = match (self.first, self.last) {
            (Some(_), Some(_)) => return Err(AppError::bad_field("last", "give either first or last, not both")),
            (Some(n), None) => (size("first", n)?, false),
            (None, Some(n)) => (size("last", n)?, true),
            (None, None) => (DEFAULT_PAGE_SIZE, false),
        };
        let decode = |field: &str, cursor: &Option<String>| -> AppResult<Option<Vec<Value>>> {
            cursor.as_deref().map(|c| ordering.decode_cursor(field, c)).transpose()
        };
        Ok(Window { limit, backward, after: decode("after", &self.after)?, before: decode("before", &self.before)? })
    }
}

struct Window {
    limit: u64,
    backward: bool,
    after: Option<Vec<Value>>,
    before: Option<Vec<Value>>,
}

/// One sort key of an ordering.
#[derive(Clone, Copy, Debug)]
pub struct SortKey<C> {
    /// The column sorted on.
    pub column: C,
    /// Descending rather than ascending.
    pub descending: bool,
}

/// A named total order over an entity's rows. The last key must be unique (the primary key).
#[derive(Clone, Debug)]
pub struct Ordering<E: EntityTrait> {
    name: String,
    /// A computed INTEGER key sorted on first (ascending), before `keys`.
    rank: Option<Expr>,
    keys: Vec<SortKey<E::Column>>,
}

/// The alias under which a ranked page selects its rank.
const RANK_ALIAS: &str = "lvzhi_rank";

impl<E: EntityTrait> Ordering<E> {
    /// An ordering by `keys`; `name` tells cursors of different orderings apart.
    pub fn new(name: impl Into<String>, keys: Vec<SortKey<E::Column>>) -> Self {
        Self { name: name.into(), rank: None, keys }
    }

    /// An ordering by `rank`, an INTEGER expression over the row (smaller first, e.g. a CASE
    /// giving 0 to exact matches), then by `keys`. The database computes the rank; cursors
    /// carry it, so a boundary is still a `WHERE` on the keys. `name` must differ for every
    /// rank expression (a search ordering names its term), so that cursors do not cross over.
    pub fn ranked(name: impl Into<String>, rank: Expr, keys: Vec<SortKey<E::Column>>) -> Self {
        Self { name: name.into(), rank: Some(rank), keys }
    }

    /// The name that tells cursors of this ordering apart.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The column keys, to build another ordering on.
    pub fn into_keys(self) -> Vec<SortKey<E::Column>> {
        self.keys
    }

    /// The number of values a cursor of this ordering holds.
    fn width(&self) -> usize {
        self.keys.len() + usize::from(self.rank.is_some())
    }

    fn cursor_of(&self, model: &E::Model, rank: Option<i32>) -> String {
        let rank = self.rank.as_ref().map(|_| CursorKey::Int(rank.unwrap_or_default().into()));
        let keys: Vec<CursorKey> =
            rank.into_iter().chain(self.keys.iter().map(|k| CursorKey::from(model.get(k.column)))).collect();
        let token = CursorToken { o: self.name.clone(), k: keys };
        // Serialising plain strings and numbers cannot fail.
        let json = serde_json::to_vec(&token).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    fn decode_cursor(&self, field: &str, cursor: &str) -> AppResult<Vec<Value>> {
        let invalid = || AppError::bad_field(field, format!("{field} is not a cursor of this list"));
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
        let token: CursorToken = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if token.o != self.name {
            return Err(AppError::bad_field(field, format!("{field} was made for another ordering of this list")));
        }
        if token.k.len() != self.width() {
            return Err(invalid());
        }
        let mut keys = token.k.into_iter();
        let mut values = Vec::with_capacity(self.width());
        if self.rank.is_some() {
            match keys.next() {
                Some(CursorKey::Int(rank)) => {
                    values.push(Value::Int(Some(i32::try_from(rank).map_err(|_| invalid())?)))
                }
                _ => return Err(invalid()),
            }
        }
        for (key, sort) in keys.zip(&self.keys) {
            values.push(key.into_value(sort.column).ok_or_else(invalid)?);
        }
        Ok(values)
    }

    /// Rows strictly after (`after = true`) or strictly before the row whose keys are `values`
    /// (the rank first, when the ordering has one).
    fn beyond(&self, values: &[Value], after: bool) -> Condition {
        match (&self.rank, values.split_first()) {
            (Some(rank), Some((value, rest))) => {
                let rank = rank.clone();
                let past = if after { rank.clone().gt(value.clone()) } else { rank.clone().lt(value.clone()) };
                Condition::any()
                    .add(past)
                    .add(Condition::all().add(rank.eq(value.clone())).add(self.beyond_keys(rest, after)))
            }
            _ => self.beyond_keys(values, after),
        }
    }

    /// [`Self::beyond`] on the column keys alone.
    fn beyond_keys(&self, values: &[Value], after: bool) -> Condition {
        let mut any = Condition::any();
        for i in 0..self.keys.len() {
            let mut all = Condition::all();
            for (key, value) in self.keys[..i].iter().zip(values) {
                all = all.add(key.column.eq(value.clone()));
            }
            let key = self.keys[i];
            let value = values[i].clone();
            let greater = after != key.descending;
            all = all.add(if greater { key.column.gt(value) } else { key.column.lt(value) });
            any = any.add(all);
        }
        any
    }

    /// A fetched row of a page's statement, with its rank when the ordering has one.
    fn read(&self, row: &sea_orm::QueryResult) -> AppResult<(Option<i32>, E::Model)> {
        let rank = match self.rank {
            Some(_) => Some(row.try_get("", RANK_ALIAS)?),
            None => None,
        };
        Ok((rank, E::Model::from_query_result(row, "")?))
    }

    fn order(&self, select: Select<E>, reverse: bool) -> Select<E> {
        let select = match &self.rank {
            Some(rank) => select.order_by(rank.clone(), if reverse { Order::Desc } else { Order::Asc }),
            None => select,
        };
        self.keys.iter().fold(select, |select, key| {
            let order = if key.descending != reverse { Order::Desc } else { Order::Asc };
            select.order_by(key.column, order)
        })
    }
}

#[derive(Serialize, Deserialize)]
struct CursorToken {
    o: String,
    k: Vec<CursorKey>,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum CursorKey {
    Null(Option<()>),
    Int(i64),
    Text(String),
}

impl From<Value> for CursorKey {
    fn from(value: Value) -> Self {
        match value {
            Value::BigInt(Some(v)) => Self::Int(v),
            Value::Int(Some(v)) => Self::Int(v.into()),
            Value::Bool(Some(v)) => Self::Int(v.into()),
            Value::String(Some(v)) => Self::Text(v),
            Value::ChronoDate(Some(v)) => Self::Text(v.to_string()),
            _ => Self::Null(None),
        }
    }
}

impl CursorKey {
    /// The SQL value for `column`, or `None` when the token does not fit the column's type.
    fn into_value<C: ColumnTrait>(self, column: C) -> Option<Value> {
        use sea_orm::sea_query::ColumnType;
        let ty = column.def().get_column_type().clone();
        match (self, ty) {
            (Self::Int(v), ColumnType::BigInteger) => Some(Value::BigInt(Some(v))),
            (Self::Int(v), ColumnType::Integer) => i32::try_from(v).ok().map(|v| Value::Int(Some(v))),
            (Self::Int(v), ColumnType::Boolean) => Some(Value::Bool(Some(v != 0))),
            (Self::Text(v), ColumnType::Date) => v.parse::<NaiveDate>().ok().map(|d| Value::ChronoDate(Some(d))),
            (Self::Text(v), ColumnType::String(_) | ColumnType::Text) => Some(Value::String(Some(v))),
            _ => None,
        }
    }
}

/// One page of rows, each with its cursor.
#[derive(Clone, Debug)]
pub struct Page<M> {
    /// The rows of the page with their cursors, in list order.
    pub rows: Vec<(String, M)>,
    /// Whether rows exist before the first row of the page.
    pub has_previous_page: bool,
    /// Whether rows exist after the last row of the page.
    pub has_next_page: bool,
}

/// Fetches the page of `base` (already filtered) that `args` asks for, ordered by `ordering`.
///
/// One query fetches the page (with one extra row to see whether more follow); one more cheap
/// query looks past the opposite edge when the client gave a cursor there.
pub async fn paginate<E, C>(
    db: &C,
    base: Select<E>,
    ordering: &Ordering<E>,
    args: &PageArgs,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
{
    let window = args.window(ordering)?;
    let select = windowed(&base, ordering, &window);
    let rows: Vec<(Option<i32>, E::Model)> = match &ordering.rank {
        None => select.all(db).await?.into_iter().map(|m| (None, m)).collect(),
        // The rank goes into the cursors, so the page query selects it next to the row.
        Some(rank) => {
            let query = select.expr_as(rank.clone(), RANK_ALIAS).into_query();
            db.query_all(&query).await?.iter().map(|row| ordering.read(row)).collect::<AppResult<_>>()?
        }
    };
    finish(db, base, ordering, &window, rows).await
}

/// [`paginate`], with the row of `R` that each row's `via` column refers to fetched in the
/// same statement (a LEFT JOIN): a to-one relation the page's nodes are about to ask for costs
/// no statement of its own. Returns the page and the rows of `R` found, each once (for the
/// caller to prime its loader with).
pub async fn paginate_joined<E, R, C>(
    db: &C,
    base: Select<E>,
    ordering: &Ordering<E>,
    args: &PageArgs,
    via: E::Column,
) -> AppResult<(Page<E::Model>, Vec<R::Model>)>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    R: EntityTrait,
    C: ConnectionTrait,
{
    // `E`'s columns keep their names (read without a prefix: sea-orm formats `prefix + name`
    // for every column of every row it reads with one); `R`'s get this prefix.
    const RELATED: &str = "lvzhi_related_";
    let window = args.window(ordering)?;
    let related_pk = crate::loader::primary_column::<R>().map_err(|e| (*e).clone())?;
    let join = E::belongs_to(R::default()).from(via).to(related_pk).into();
    let mut query = windowed(&base, ordering, &window).join(JoinType::LeftJoin, join).into_query();
    crate::loader::select_prefixed::<R>(&mut query, RELATED);
    if let Some(rank) = &ordering.rank {
        query.expr_as(rank.clone(), sea_orm::sea_query::Alias::new(RANK_ALIAS));
    }
    let mut rows = Vec::new();
    let mut related: Vec<R::Model> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for row in db.query_all(&query).await? {
        rows.push(ordering.read(&row)?);
        if let Some(target) = R::Model::from_query_result_optional(&row, RELATED)?
            && seen.insert(crate::loader::as_i64(target.get(related_pk)))
        {
            related.push(target);
        }
    }
    Ok((finish(db, base, ordering, &window, rows).await?, related))
}

/// The statement of a page's rows: `base` past the window's cursors, in the ordering (reversed
/// when paging backwards), one row more than the page to see whether more follow.
fn windowed<E: EntityTrait>(base: &Select<E>, ordering: &Ordering<E>, window: &Window) -> Select<E> {
    let mut select = base.clone();
    if let Some(after) = &window.after {
        select = select.filter(ordering.beyond(after, true));
    }
    if let Some(before) = &window.before {
        select = select.filter(ordering.beyond(before, false));
    }
    ordering.order(select, window.backward).limit(window.limit + 1)
}

/// The page from the fetched rows (one more than the page when more follow): in list order,
/// with cursors, and whether rows lie beyond either edge.
async fn finish<E, C>(
    db: &C,
    base: Select<E>,
    ordering: &Ordering<E>,
    window: &Window,
    mut rows: Vec<(Option<i32>, E::Model)>,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
{
    let more = rows.len() as u64 > window.limit;
    rows.truncate(usize::try_from(window.limit).unwrap_or(usize::MAX));
    if window.backward {
        rows.reverse();
    }

    // Is there anything on the other side of the cursor the client came from?
    let (edge_cursor, edge_after) = if window.backward { (&window.before, true) } else { (&window.after, false) };
    let beyond_edge = match edge_cursor {
        Some(values) => {
            let outside = ordering.beyond(values, !edge_after).not();
            base.filter(outside).limit(1).one(db).await?.is_some()
        }
        None => false,
    };
    let (has_previous_page, has_next_page) = if window.backward { (more, beyond_edge) } else { (beyond_edge, more) };
    let rows = rows.into_iter().map(|(rank, m)| (ordering.cursor_of(&m, rank), m)).collect();
    Ok(Page { rows, has_previous_page, has_next_page })
}

/// The first pages of many parents' child lists, in ONE query: each row of `base` (already
/// filtered, joins allowed) belongs to the parent in `parent` (a `(table, column)` of the
/// query); `ROW_NUMBER()` and `COUNT(*)` windows partitioned by that column keep the first
/// `limit` rows of every parent in `ordering`, with each parent's total. A page of parents thus
/// costs the same number of statements whatever its size. Works on SQLite and PostgreSQL.
pub async fn first_pages<E, C>(
    db: &C,
    base: Select<E>,
    parent: (&str, &str),
    parents: &[i64],
    ordering: &Ordering<E>,
    limit: u64,
) -> AppResult<std::collections::HashMap<i64, (Page<E::Model>, u64)>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
{
    use sea_orm::{
        IdenStatic,
        sea_query::{Alias, Asterisk, Query},
    };
    let mut out = std::collections::HashMap::new();
    if parents.is_empty() {
        return Ok(out);
    }
    if ordering.rank.is_some() {
        return Err(AppError::Internal("first_pages does not take a ranked ordering".to_owned()));
    }
    let quote = |s: &str| format!("\"{}\"", s.replace('"', ""));
    let partition = format!("{}.{}", quote(parent.0), quote(parent.1));
    let table = E::default().table_name().to_owned();
    let order: Vec<String> = ordering
        .keys
        .iter()
        .map(|k| {
            format!("{}.{} {}", quote(&table), quote(k.column.as_str()), if k.descending { "DESC" } else { "ASC" })
        })
        .collect();
    let mut inner = base.into_query();
    inner
        .and_where(Expr::cust(format!(
            "{partition} IN ({})",
            parents.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        )))
        .expr_as(Expr::cust(partition.clone()), Alias::new("lvzhi_parent"))
        .expr_as(
            Expr::cust(format!("ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {})", order.join(", "))),
            Alias::new("lvzhi_rn"),
        )
        .expr_as(Expr::cust(format!("COUNT(*) OVER (PARTITION BY {partition})")), Alias::new("lvzhi_total"));
    let ranked = Alias::new("lvzhi_ranked");
    let limit_rows = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
    let stmt = Query::select()
        .column(Asterisk)
        .from_subquery(inner, ranked.clone())
        .and_where(Expr::col((ranked, Alias::new("lvzhi_rn"))).lte(limit_rows))
        .to_owned();
    type Ranked<M> = (Vec<(i64, M)>, u64);
    let mut grouped: std::collections::HashMap<i64, Ranked<E::Model>> = std::collections::HashMap::new();
    for row in db.query_all(&stmt).await? {
        let model = E::Model::from_query_result(&row, "")?;
        let owner: i64 = row.try_get("", "lvzhi_parent")?;
        let rank: i64 = row.try_get("", "lvzhi_rn")?;
        let total: i64 = row.try_get("", "lvzhi_total")?;
        let entry = grouped.entry(owner).or_insert_with(|| (Vec::new(), u64::try_from(total).unwrap_or(0)));
        entry.0.push((rank, model));
    }
    for (owner, (mut rows, total)) in grouped {
        rows.sort_by_key(|(rank, _)| *rank);
        let more = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let rows = rows.into_iter().map(|(_, m)| (ordering.cursor_of(&m, None), m)).collect();
        out.insert(owner, (Page { rows, has_previous_page: false, has_next_page: more }, total));
    }
    Ok(out)
}

impl<M> Default for Page<M> {
    /// An empty page.
    fn default() -> Self {
        Self { rows: Vec::new(), has_previous_page: false, has_next_page: false }
    }
}

/// The counting half of a list: runs `SELECT COUNT` on the filtered rows when called.
pub type Counter = Box<dyn Fn() -> futures_util::future::BoxFuture<'static, AppResult<u64>> + Send + Sync>;

/// Builds the counter of a filtered select.
pub fn counter<E>(db: &DatabaseConnection, select: sea_orm::Select<E>) -> Counter
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    let db = db.clone();
    Box::new(move || {
        let db = db.clone();
        let select = select.clone();
        async move { Ok(select.count(&db).await?) }.boxed()
    })
}
