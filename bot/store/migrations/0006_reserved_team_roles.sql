-- Number 0006 belongs to the team roles and audit log (built on another branch). This empty
-- file only keeps the numbers without a gap on this branch: delete it when that migration is
-- merged (a database that ran it must be recreated or have user_version set back to 5).
SELECT 1;
