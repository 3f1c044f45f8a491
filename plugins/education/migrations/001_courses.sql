-- When each learner's course started: one row per member and course, written on the first sight
-- of the paid course (its order.paid event or a page), so the release schedule never moves; a
-- renewal keeps the first start. Days are UTC day numbers (days since 1970-01-01).
CREATE TABLE education_enrolments (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  course_id TEXT NOT NULL,
  start_day INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, member_id, course_id)
);
-- The lessons a learner marked done: one row per member, course and lesson, so marking it again
-- changes nothing.
CREATE TABLE education_lessons_done (
  tenant_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  course_id TEXT NOT NULL,
  lesson_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, member_id, course_id, lesson_id)
);
