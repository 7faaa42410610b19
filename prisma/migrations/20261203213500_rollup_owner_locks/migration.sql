-- A deal or customer write and a change of its owner's team must not pass
-- each other. The rollup triggers file a record's facts under its owner's
-- team as they read it, and a team change moves the facts of the owner's
-- committed records; a record written while the team changes would be
-- filed under the old team and moved by neither. So each write first takes
-- a share lock on the owners of the rows it writes (in id order), which a
-- team change or the owner's deletion waits for, and which waits for them:
-- the rollup trigger that follows then reads the team as committed.
-- Triggers of one event fire in name order: "rollup_0_…" comes first.
CREATE FUNCTION "kpigraph_lock_record_owners"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM "User" WHERE "id" IN (SELECT "ownerId" FROM new_rows) ORDER BY "id" FOR SHARE;
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM 1 FROM "User" WHERE "id" IN (SELECT "ownerId" FROM old_rows UNION SELECT "ownerId" FROM new_rows) ORDER BY "id" FOR SHARE;
  ELSE
    PERFORM 1 FROM "User" WHERE "id" IN (SELECT "ownerId" FROM old_rows) ORDER BY "id" FOR SHARE;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "rollup_0_lock_owners_inserted" AFTER INSERT ON "Deal" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_lock_record_owners"();
CREATE TRIGGER "rollup_0_lock_owners_updated" AFTER UPDATE ON "Deal" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_lock_record_owners"();
CREATE TRIGGER "rollup_0_lock_owners_deleted" AFTER DELETE ON "Deal" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_lock_record_owners"();
CREATE TRIGGER "rollup_0_lock_owners_inserted" AFTER INSERT ON "Customer" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_lock_record_owners"();
CREATE TRIGGER "rollup_0_lock_owners_updated" AFTER UPDATE ON "Customer" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_lock_record_owners"();
CREATE TRIGGER "rollup_0_lock_owners_deleted" AFTER DELETE ON "Customer" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_lock_record_owners"();

ALTER TABLE "Deal" ENABLE ALWAYS TRIGGER "rollup_0_lock_owners_inserted", ENABLE ALWAYS TRIGGER "rollup_0_lock_owners_updated",
  ENABLE ALWAYS TRIGGER "rollup_0_lock_owners_deleted";
ALTER TABLE "Customer" ENABLE ALWAYS TRIGGER "rollup_0_lock_owners_inserted", ENABLE ALWAYS TRIGGER "rollup_0_lock_owners_updated",
  ENABLE ALWAYS TRIGGER "rollup_0_lock_owners_deleted";
