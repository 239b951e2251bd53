//! The people of the demo committee, drawn from the tables in `names` by a seeded generator: who
//! they are, their seats in both terms, and where they are placed. Pure: no database, and the
//! same roster on every run.

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate};
use entity::enums::{CommitteeRole, Gender, GroupRole, LeadershipPost, Party, SeatStatus, StudioRole};
use fastrand::Rng;

use super::{
    names::{
        COMMITTEE_MOVE, COMMITTEE_MOVERS, COMMITTEES, COMMITTEES_FORMED, CURRENT_TERM, EARLY_DEPARTURES, ETHNICITIES,
        FEMALE_GIVEN, FIRMS, FORMER_BIRTH_YEARS, FORMER_LEADERS, FORMER_ONLY, GROUPS, GROUPS_FORMED,
        LEADER_BIRTH_YEARS, LEADERS, MALE_GIVEN, MEMBER_BIRTH_YEARS, MIXED_PARTIES, ONE_CHARACTER_GIVEN_PERCENT,
        PHONE_PREFIXES, PREVIOUS_TERM, RETURNING, Recruits, SECTORS, SEED, STANDING, STUDIO_MOVE, STUDIOS_STAFFED,
        SURNAMES, SectorSpec, TOWN_COUNT, TOWNS,
    },
    organisation::Layout,
};

/// A person of the demo committee.
pub(super) struct Person {
    /// Full name; unique in the roster.
    pub name: String,
    /// Gender.
    pub gender: Gender,
    /// Ethnicity.
    pub ethnicity: &'static str,
    /// Date of birth.
    pub birth_date: NaiveDate,
    /// Mobile phone.
    pub phone: String,
    /// The seat in 第九届, if the person sat there.
    pub previous: Option<SeatPlan>,
    /// The seat in 第十届, if the person sits there.
    pub current: Option<SeatPlan>,
}

impl Person {
    /// The first day of the person's first term: when the office registered them.
    pub fn registered(&self) -> NaiveDate {
        if self.previous.is_some() { PREVIOUS_TERM.start } else { CURRENT_TERM.start }
    }
}

/// A seat in one term; it begins on the term's first day.
pub(super) struct SeatPlan {
    /// 委员证号.
    pub number: String,
    /// Index in [`SECTORS`].
    pub sector: usize,
    /// Party.
    pub party: Party,
    /// 常委.
    pub standing: bool,
    /// Leadership post.
    pub post: Option<LeadershipPost>,
    /// Employer and position.
    pub employer: String,
    /// Status.
    pub status: SeatStatus,
    /// Last day, unless serving.
    pub end: Option<NaiveDate>,
    /// Why the seat ended early.
    pub reason: Option<&'static str>,
}

/// A person placed in a committee, studio, group or sector (as convener) between two days.
pub(super) struct Placement<R> {
    /// Index in [`Roster::people`].
    pub person: usize,
    /// Index of the committee, studio (in the layout), group or sector.
    pub target: usize,
    /// Role.
    pub role: R,
    /// First day.
    pub start: NaiveDate,
    /// Last day; open while current.
    pub end: Option<NaiveDate>,
}

/// Everyone, and where they are placed.
pub(super) struct Roster {
    /// The current members (numbered in order), then the people who sat only in 第九届.
    pub people: Vec<Person>,
    /// Special-committee memberships.
    pub committees: Vec<Placement<CommitteeRole>>,
    /// Studio assignments.
    pub studios: Vec<Placement<StudioRole>>,
    /// Group memberships.
    pub groups: Vec<Placement<GroupRole>>,
    /// Sector conveners.
    pub conveners: Vec<Placement<()>>,
}

/// The item of `items` chosen by weight.
fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, u32)]) -> T {
    let mut r = rng.u32(0..items.iter().map(|i| i.1).sum::<u32>().max(1));
    for &(item, weight) in items {
        if r < weight {
            return item;
        }
        r -= weight;
    }
    items[items.len() - 1].0
}

/// An item of `items` at random.
fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

/// Whether a draw with `percent` chance succeeds.
fn chance(rng: &mut Rng, percent: u32) -> bool {
    rng.u32(0..100) < percent
}

/// A day in a year range; day 1 to 365 exists in every year.
fn birth_date(rng: &mut Rng, (from, to): (i32, i32)) -> NaiveDate {
    NaiveDate::from_yo_opt(rng.i32(from..=to), rng.u32(1..=365)).unwrap_or_default()
}

/// Draws names no one else in the roster has.
struct Namer {
    male: Vec<char>,
    female: Vec<char>,
    taken: HashSet<String>,
}

impl Namer {
    fn new() -> Self {
        Self { male: MALE_GIVEN.chars().collect(), female: FEMALE_GIVEN.chars().collect(), taken: HashSet::new() }
    }

    fn name(&mut self, rng: &mut Rng, gender: Gender) -> String {
        let pool = if gender == Gender::Female { &self.female } else { &self.male };
        loop {
            let mut name = weighted(rng, SURNAMES).to_owned();
            let first = pick(rng, pool);
            name.push(first);
            if !chance(rng, ONE_CHARACTER_GIVEN_PERCENT) {
                let second = pick(rng, pool);
                if second == first {
                    continue;
                }
                name.push(second);
            }
            if self.taken.insert(name.clone()) {
                return name;
            }
        }
    }
}

/// Who a person is, drawn for a sector.
fn person(rng: &mut Rng, namer: &mut Namer, sector: &SectorSpec, births: (i32, i32)) -> Person {
    let gender = if chance(rng, sector.women_percent) { Gender::Female } else { Gender::Male };
    Person {
        name: namer.name(rng, gender),
        gender,
        ethnicity: weighted(rng, ETHNICITIES),
        birth_date: birth_date(rng, births),
        phone: format!("{}{:08}", pick(rng, PHONE_PREFIXES), rng.u32(0..100_000_000)),
        previous: None,
        current: None,
    }
}

/// A party for a member of `sector`.
fn party(rng: &mut Rng, sector: &SectorSpec) -> Party {
    sector.party.unwrap_or_else(|| weighted(rng, MIXED_PARTIES))
}

/// How often a post is drawn again when the draw is already given in the term.
const POST_DRAWS: usize = 30;

/// The posts (工作单位及职务) given in one term, so that a post is given once where the
/// sector's templates allow.
#[derive(Default)]
struct Posts {
    taken: HashSet<String>,
}

impl Posts {
    /// Gives `post` (a leader's or a sector head's).
    fn give(&mut self, post: String) -> String {
        self.taken.insert(post.clone());
        post
    }

    /// Draws a post of `sector` other than its head's, in `town`, not given yet if possible.
    fn draw(&mut self, rng: &mut Rng, sector: &SectorSpec, town: &str) -> String {
        let templates = sector.posts.get(1..).filter(|p| !p.is_empty()).unwrap_or(sector.posts);
        let mut post = String::new();
        for _ in 0..POST_DRAWS {
            let template = pick(rng, templates);
            post = fill(rng, template, town);
            if !self.taken.contains(&post) {
                break;
            }
        }
        self.give(post)
    }
}

/// A town or street at random, for people placed in no studio.
fn any_town(rng: &mut Rng) -> &'static str {
    TOWNS[rng.usize(..TOWNS.len())].name
}

/// A post template with its town and firm filled in.
fn fill(rng: &mut Rng, template: &str, town: &str) -> String {
    let stem = town.strip_suffix("街道").or_else(|| town.strip_suffix('镇')).unwrap_or(town);
    template.replace("{town}", town).replace("{stem}", stem).replace("{firm}", pick(rng, FIRMS))
}

/// A serving seat, numbered later.
fn seat(sector: usize, party: Party, employer: String) -> SeatPlan {
    SeatPlan {
        number: String::new(),
        sector,
        party,
        standing: false,
        post: None,
        employer,
        status: SeatStatus::Serving,
        end: None,
        reason: None,
    }
}

/// Numbers the seats of a term in published order (sector, then post, then roster order):
/// `prefix` followed by three digits.
fn number(mut seats: Vec<&mut SeatPlan>, prefix: &str) {
    let rank = |post: Option<LeadershipPost>| match post {
        Some(LeadershipPost::Chair) => 0,
        Some(LeadershipPost::ViceChair) => 1,
        Some(LeadershipPost::SecretaryGeneral) => 2,
        None => 3,
    };
    // A stable sort keeps roster order within a sector and post.
    seats.sort_by_key(|s| (s.sector, rank(s.post)));
    for (n, seat) in seats.into_iter().enumerate() {
        seat.number = format!("{prefix}{:03}", n + 1);
    }
}

/// The current members, sector by sector, each sector's leaders first. Returns the people, the
/// roster index of each leader (in [`LEADERS`] order) and of each sector's head.
fn current_members(rng: &mut Rng, namer: &mut Namer) -> (Vec<(Person, usize)>, Vec<usize>, Vec<usize>) {
    let mut people = Vec::new();
    let mut leaders = vec![0; LEADERS.len()];
    let mut heads = Vec::new();
    for (s, sector) in SECTORS.iter().enumerate() {
        let first = people.len();
        for (l, _) in LEADERS.iter().enumerate().filter(|(_, l)| l.sector == sector.name) {
            leaders[l] = people.len();
            people.push((person(rng, namer, sector, LEADER_BIRTH_YEARS), s));
        }
        heads.push(people.len());
        while people.len() - first < sector.seats {
            people.push((person(rng, namer, sector, MEMBER_BIRTH_YEARS), s));
        }
    }
    (people, leaders, heads)
}

/// Draws the whole demo committee.
pub(super) fn draw(layout: &Layout) -> Roster {
    let mut rng = Rng::with_seed(SEED);
    let mut namer = Namer::new();
    let (drafts, leaders, heads) = current_members(&mut rng, &mut namer);
    let members = drafts.len();

    // The standing committee: the leaders, each sector's head, and a few more.
    let mut standing = vec![false; members];
    for &p in leaders.iter().chain(&heads) {
        standing[p] = true;
    }
    let mut others: Vec<usize> = (0..members).filter(|&p| !standing[p]).collect();
    rng.shuffle(&mut others);
    let extra = STANDING.saturating_sub(standing.iter().filter(|s| **s).count());
    for &p in others.iter().take(extra) {
        standing[p] = true;
    }

    let studios = place_in_studios(&mut rng, layout, &leaders, &standing);
    let mut studio_of = vec![0; members];
    for a in studios.iter().filter(|a| a.end.is_none()) {
        studio_of[a.person] = a.target;
    }

    let mut people: Vec<Person> = Vec::with_capacity(members + FORMER_ONLY);
    let mut posts = Posts::default();
    for l in LEADERS {
        posts.give(l.employer.to_owned());
    }
    for (p, (mut person, s)) in drafts.into_iter().enumerate() {
        let sector = &SECTORS[s];
        let town = layout.town_of(studio_of[p]);
        let leader = LEADERS.iter().zip(&leaders).find(|(_, at)| **at == p).map(|(l, _)| l);
        let employer = match leader {
            Some(l) => l.employer.to_owned(),
            None if heads.contains(&p) => {
                let head = fill(&mut rng, sector.posts[0], town);
                posts.give(head)
            }
            None => posts.draw(&mut rng, sector, town),
        };
        let mut current = seat(s, party(&mut rng, sector), employer);
        current.standing = standing[p];
        current.post = leader.map(|l| l.post);
        person.current = Some(current);
        people.push(person);
    }

    let committees = place_in_committees(&mut rng, &people, &leaders);
    let conveners = heads
        .iter()
        .zip(SECTORS)
        .enumerate()
        .flat_map(|(s, (&head, sector))| {
            // The head convenes; a large sector has a second convener, the member after the head.
            let second = (sector.seats >= 12).then_some(head + 1);
            [Some(head), second].into_iter().flatten().map(move |person| Placement {
                person,
                target: s,
                role: (),
                start: COMMITTEES_FORMED,
                end: None,
            })
        })
        .collect();
    let groups = place_in_groups(&mut rng, &people, &committees);

    seat_previous_term(&mut rng, &mut namer, &mut people, &leaders);
    number(people.iter_mut().filter_map(|p| p.current.as_mut()).collect(), "10");
    number(people.iter_mut().filter_map(|p| p.previous.as_mut()).collect(), "09");
    Roster { people, committees, studios, groups, conveners }
}

/// One open studio assignment per current member. The leaders and other standing members lead
/// the town studios; one member leads each village studio; the members left over join the
/// first town studios, where they moved from another town studio on [`STUDIO_MOVE`].
fn place_in_studios(
    rng: &mut Rng,
    layout: &Layout,
    leaders: &[usize],
    standing: &[bool],
) -> Vec<Placement<StudioRole>> {
    let open = |person, target, role, start| Placement { person, target, role, start, end: None };
    let mut town_leads: Vec<usize> = leaders.to_vec();
    let mut standing_rest: Vec<usize> = (0..standing.len()).filter(|&p| standing[p] && !leaders.contains(&p)).collect();
    rng.shuffle(&mut standing_rest);
    town_leads.extend(standing_rest.into_iter().take(TOWN_COUNT.saturating_sub(leaders.len())));

    let mut rest: Vec<usize> = (0..standing.len()).filter(|p| !town_leads.contains(p)).collect();
    rng.shuffle(&mut rest);
    let villages = layout.studios.len() - TOWN_COUNT;
    let mut out: Vec<_> =
        town_leads.iter().enumerate().map(|(t, &p)| open(p, t, StudioRole::Lead, STUDIOS_STAFFED)).collect();
    out.extend(
        rest.iter().take(villages).zip(TOWN_COUNT..).map(|(&p, s)| open(p, s, StudioRole::Lead, STUDIOS_STAFFED)),
    );
    for (t, &p) in rest.iter().skip(villages).enumerate() {
        let (from, to) = ((t + 1) % TOWN_COUNT, t % TOWN_COUNT);
        out.push(Placement {
            person: p,
            target: from,
            role: StudioRole::Member,
            start: STUDIOS_STAFFED,
            end: Some(STUDIO_MOVE - Days::new(1)),
        });
        out.push(open(p, to, StudioRole::Member, STUDIO_MOVE));
    }
    out
}

/// Every current member in exactly one special committee (全员入委), mostly the one their
/// sector leans to, up to each committee's seats. Each committee gets a director and deputies
/// from its standing members first; a few members moved committee on [`COMMITTEE_MOVE`].
fn place_in_committees(rng: &mut Rng, people: &[Person], leaders: &[usize]) -> Vec<Placement<CommitteeRole>> {
    let seats: Vec<&SeatPlan> = people.iter().filter_map(|p| p.current.as_ref()).collect();
    let mut order: Vec<usize> = (0..seats.len()).collect();
    rng.shuffle(&mut order);
    let mut committee_of = vec![0; seats.len()];
    let mut filled = vec![0; COMMITTEES.len()];
    for p in order {
        let wanted = SECTORS[seats[p].sector].committee;
        let c = if filled[wanted] < COMMITTEES[wanted].1 {
            wanted
        } else {
            // The committee with the most free seats, the first of equals.
            (0..COMMITTEES.len()).max_by_key(|&c| (COMMITTEES[c].1 - filled[c], std::cmp::Reverse(c))).unwrap_or(0)
        };
        committee_of[p] = c;
        filled[c] += 1;
    }

    let mut roles = vec![CommitteeRole::Member; seats.len()];
    for (c, &(_, _, deputies)) in COMMITTEES.iter().enumerate() {
        let mut candidates: Vec<usize> =
            (0..seats.len()).filter(|&p| committee_of[p] == c && !leaders.contains(&p)).collect();
        // Standing members first, in roster order.
        candidates.sort_by_key(|&p| !seats[p].standing);
        for (rank, p) in candidates.into_iter().take(1 + deputies).enumerate() {
            roles[p] = if rank == 0 { CommitteeRole::Director } else { CommitteeRole::DeputyDirector };
        }
    }

    let mut movers: Vec<usize> = (0..seats.len()).filter(|&p| roles[p] == CommitteeRole::Member).collect();
    rng.shuffle(&mut movers);
    movers.truncate(COMMITTEE_MOVERS);
    let mut out = Vec::with_capacity(seats.len() + movers.len());
    for p in 0..seats.len() {
        let c = committee_of[p];
        if movers.contains(&p) {
            out.push(Placement {
                person: p,
                target: (c + 1) % COMMITTEES.len(),
                role: CommitteeRole::Member,
                start: COMMITTEES_FORMED,
                end: Some(COMMITTEE_MOVE - Days::new(1)),
            });
            out.push(Placement { person: p, target: c, role: roles[p], start: COMMITTEE_MOVE, end: None });
        } else {
            out.push(Placement { person: p, target: c, role: roles[p], start: COMMITTEES_FORMED, end: None });
        }
    }
    out
}

/// The standing groups: each recruits the members it prefers first, then anyone, and is led by
/// its first standing recruit.
fn place_in_groups(
    rng: &mut Rng,
    people: &[Person],
    committees: &[Placement<CommitteeRole>],
) -> Vec<Placement<GroupRole>> {
    let current: Vec<(usize, &SeatPlan)> =
        people.iter().enumerate().filter_map(|(p, person)| person.current.as_ref().map(|s| (p, s))).collect();
    let mut committee_of = vec![None; people.len()];
    for c in committees.iter().filter(|c| c.end.is_none()) {
        committee_of[c.person] = Some(c.target);
    }
    let mut out = Vec::new();
    for (g, group) in GROUPS.iter().enumerate() {
        let own = group.committee.and_then(|name| COMMITTEES.iter().position(|c| c.0 == name));
        let prefers = |p: usize, seat: &SeatPlan| match group.recruits {
            Recruits::OwnCommittee => own.is_some() && committee_of[p] == own,
            Recruits::EmployerMentions(words) => words.iter().any(|w| seat.employer.contains(w)),
            Recruits::BornFrom(year) => people[p].birth_date.year() >= year,
            Recruits::Anyone => true,
        };
        let (mut first, mut then): (Vec<_>, Vec<_>) = current.iter().copied().partition(|&(p, seat)| prefers(p, seat));
        rng.shuffle(&mut first);
        rng.shuffle(&mut then);
        let recruits: Vec<(usize, &SeatPlan)> = first.into_iter().chain(then).take(group.size).collect();
        let lead = recruits.iter().find(|(_, seat)| seat.standing).or(recruits.first()).map(|(p, _)| *p);
        out.extend(recruits.iter().map(|&(p, _)| Placement {
            person: p,
            target: g,
            role: if Some(p) == lead { GroupRole::Lead } else { GroupRole::Member },
            start: GROUPS_FORMED,
            end: None,
        }));
    }
    out
}

/// Seats in 第九届: for [`RETURNING`] current members (the leaders among them) and for
/// [`FORMER_ONLY`] people who sat only there, a few of whom left early.
fn seat_previous_term(rng: &mut Rng, namer: &mut Namer, people: &mut Vec<Person>, leaders: &[usize]) {
    let ended = |mut seat: SeatPlan| {
        seat.status = SeatStatus::TermEnded;
        seat.end = Some(PREVIOUS_TERM.end);
        seat
    };
    let members = people.len();
    let mut posts = Posts::default();
    for employer in LEADERS.iter().filter_map(|l| l.previous.map(|p| p.1)).chain(FORMER_LEADERS.iter().map(|l| l.2)) {
        posts.give(employer.to_owned());
    }
    let mut returning: Vec<usize> = (0..members).filter(|p| !leaders.contains(p)).collect();
    rng.shuffle(&mut returning);
    returning.truncate(RETURNING.saturating_sub(leaders.len()));
    for (l, &p) in leaders.iter().enumerate() {
        let Some(now) = people[p].current.as_ref() else { continue };
        let (leadership, employer) = match LEADERS[l].previous {
            Some((leadership, employer)) => (Some(leadership), employer.to_owned()),
            // Sat as an ordinary member, in another post.
            None => {
                let town = any_town(rng);
                (None, posts.draw(rng, &SECTORS[now.sector], town))
            }
        };
        let mut previous = seat(now.sector, now.party, employer);
        previous.standing = true;
        previous.post = leadership;
        people[p].previous = Some(ended(previous));
    }
    for p in returning {
        let Some(now) = people[p].current.as_ref() else { continue };
        let sector = &SECTORS[now.sector];
        // Half of them held the same post then.
        let employer = if chance(rng, 50) && !posts.taken.contains(&now.employer) {
            posts.give(now.employer.clone())
        } else {
            let town = any_town(rng);
            posts.draw(rng, sector, town)
        };
        let mut previous = seat(now.sector, now.party, employer);
        previous.standing = chance(rng, if now.standing { 60 } else { 8 });
        people[p].previous = Some(ended(previous));
    }

    let weights: Vec<(usize, u32)> = SECTORS.iter().enumerate().map(|(s, spec)| (s, spec.seats as u32)).collect();
    let mut departures = EARLY_DEPARTURES.iter();
    for n in 0..FORMER_ONLY {
        let former_leader = FORMER_LEADERS.get(n);
        let s = match former_leader {
            Some(&(_, name, _)) => SECTORS.iter().position(|spec| spec.name == name).unwrap_or(0),
            None => weighted(rng, &weights),
        };
        let sector = &SECTORS[s];
        let mut person = person(rng, namer, sector, FORMER_BIRTH_YEARS);
        let mut previous = match former_leader {
            Some(&(leadership, _, employer)) => {
                let mut previous = seat(s, party(rng, sector), employer.to_owned());
                previous.standing = true;
                previous.post = Some(leadership);
                ended(previous)
            }
            None => {
                let town = any_town(rng);
                let employer = posts.draw(rng, sector, town);
                let mut previous = ended(seat(s, party(rng, sector), employer));
                previous.standing = chance(rng, 10);
                previous
            }
        };
        if former_leader.is_none()
            && let Some(&(status, end, reason)) = departures.next()
        {
            previous.status = status;
            previous.end = Some(end);
            previous.reason = Some(reason);
        }
        person.previous = Some(previous);
        people.push(person);
    }
}
