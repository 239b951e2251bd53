-- What PostGraphile's core needs to serve the harness's four reads from lvzhi's tables. The
-- harness runs this on its bench database after generating it (never part of lvzhi's
-- migrations): a computed column for a year's participations, and behaviours for the filters
-- on columns PostGraphile leaves unfilterable because no index starts with them.

-- Member.participationsIn(year): the member's participations dated in `year`, sortable and
-- filterable like a table's connection. Plain SQL, STABLE: PostgreSQL inlines it, and the
-- (member_id, activity_date, id) index serves the range.
CREATE OR REPLACE FUNCTION member_participations_in(m member, year integer) RETURNS SETOF participation
LANGUAGE sql STABLE AS $$
  SELECT p.* FROM participation p
  WHERE p.member_id = m.id AND p.activity_date >= make_date(year, 1, 1) AND p.activity_date < make_date(year + 1, 1, 1)
$$;
COMMENT ON FUNCTION member_participations_in(member, integer) IS '@behavior +order +filter';

-- The member page asks for the current seat, committee memberships and studio assignments
-- (end_date IS NULL); the attendance counts filter participations by attendance and invitation.
COMMENT ON COLUMN seat.end_date IS '@behavior +filterBy';
COMMENT ON COLUMN committee_membership.end_date IS '@behavior +filterBy';
COMMENT ON COLUMN studio_assignment.end_date IS '@behavior +filterBy';
COMMENT ON COLUMN participation.attendance IS '@behavior +filterBy';
-- Attendance counts only invitees (应出席); 列席 rows are recorded and never counted.
COMMENT ON COLUMN participation.invited IS '@behavior +filterBy';
