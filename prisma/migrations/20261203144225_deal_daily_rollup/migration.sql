-- CreateTable
CREATE TABLE "DealDailyRollup" (
    "workspaceId" INTEGER NOT NULL,
    "kind" SMALLINT NOT NULL,
    "day" DATE NOT NULL,
    "teamId" INTEGER NOT NULL,
    "stage" "DealStage" NOT NULL,
    "deals" INTEGER NOT NULL,
    "amount" DECIMAL(24,2) NOT NULL,
    "cycleDeals" INTEGER NOT NULL,
    "cycleSeconds" DECIMAL(24,3) NOT NULL,

    CONSTRAINT "DealDailyRollup_pkey" PRIMARY KEY ("workspaceId","kind","day","teamId","stage")
);

-- A deal's rows in the rollup, signed (+1 to add it, -1 to take it away): one
-- for the day it was created and, once closed, one for the day it closed and
-- one for the day it stopped being open. That last day is the later of
-- creation and closing, so that prefix sums of created minus ended count the
-- deals open at a day's start exactly as the raw snapshot does (created
-- before it, not closed before it), even for a closing dated before its
-- creation. Days are cut in the workspace's time zone; the team is the
-- owner's.
CREATE FUNCTION "kpigraph_deal_rollup_facts"(
  workspace_id integer, zone text, sign integer, team_id integer, stage "DealStage", amount numeric, created_at timestamptz, closed_at timestamptz
) RETURNS SETOF "DealDailyRollup" LANGUAGE sql STABLE AS $$
  SELECT workspace_id, k.kind::smallint, (k.at AT TIME ZONE zone)::date, coalesce(team_id, 0), stage,
         sign, sign * amount, sign * (closed_at IS NOT NULL)::int, sign * coalesce(extract(epoch from (closed_at - created_at)), 0)
  FROM (VALUES (0, created_at), (1, closed_at), (2, CASE WHEN closed_at IS NOT NULL THEN greatest(created_at, closed_at) END)) AS k(kind, at)
  WHERE k.at IS NOT NULL
$$;

-- Drops the rollup rows a change left at zero (as the change wrote them).
-- Rows that still count deals stay; a write empties a row seldom, so this
-- runs only when one did.
CREATE FUNCTION "kpigraph_drop_empty_deal_rollup"(emptied "DealDailyRollup"[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DealDailyRollup" r USING unnest(emptied) AS e
  WHERE (r."workspaceId", r."kind", r."day", r."teamId", r."stage") = (e."workspaceId", e."kind", e."day", e."teamId", e."stage")
    AND r."deals" = 0 AND r."amount" = 0 AND r."cycleDeals" = 0 AND r."cycleSeconds" = 0;
END $$;

-- Adds summed changes to the rollup in key order (so that two writers of one
-- workspace lock its rows in the same order); keys whose changes cancel out
-- are not written. The rows that fall to zero come back from the same
-- statement and only they are swept. The deal triggers below write their
-- changes the same way in one statement of their own (PL/pgSQL keeps its
-- statements' plans for the session; a SQL function would plan them again
-- on every write, and an array in between costs as much as the write).
CREATE FUNCTION "kpigraph_apply_deal_rollup"(changes "DealDailyRollup"[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  emptied "DealDailyRollup"[];
BEGIN
  WITH written AS (
    INSERT INTO "DealDailyRollup" AS r
    SELECT c."workspaceId", c."kind", c."day", c."teamId", c."stage", sum(c."deals"), sum(c."amount"), sum(c."cycleDeals"), sum(c."cycleSeconds")
    FROM unnest(changes) AS c
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(c."deals") <> 0 OR sum(c."amount") <> 0 OR sum(c."cycleDeals") <> 0 OR sum(c."cycleSeconds") <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("workspaceId", "kind", "day", "teamId", "stage") DO UPDATE SET
      "deals" = r."deals" + EXCLUDED."deals",
      "amount" = r."amount" + EXCLUDED."amount",
      "cycleDeals" = r."cycleDeals" + EXCLUDED."cycleDeals",
      "cycleSeconds" = r."cycleSeconds" + EXCLUDED."cycleSeconds"
    RETURNING r AS sums)
  SELECT array_agg(w.sums) INTO emptied FROM written w
  WHERE (w.sums)."deals" = 0 AND (w.sums)."amount" = 0 AND (w.sums)."cycleDeals" = 0 AND (w.sums)."cycleSeconds" = 0;
  IF emptied IS NOT NULL THEN
    PERFORM "kpigraph_drop_empty_deal_rollup"(emptied);
  END IF;
END $$;

-- Inserted deals only add, so no row can fall to zero. Imports insert
-- hundreds of thousands at a time, so this writes the facts of
-- kpigraph_deal_rollup_facts (sign 1) in a form that costs a third of it:
-- each deal's two days, and its cycle, are worked out once for all its rows
-- (a zone lookup and a numeric each), and nothing is multiplied by the
-- sign. The later of creation and closing is one of the two, so its day is
-- one of theirs.
--
-- Each deal trigger runs its statement as written for fewer than 1,000 rows
-- (PL/pgSQL plans it once a session, for the rows of its first run) and
-- through EXECUTE, planned for the rows at hand, from 1,000 on: a plan made
-- for one row sorts an import's facts where it should hash them (2.8 s
-- rather than 0.8 s for 250,000 deals).
CREATE FUNCTION "kpigraph_rollup_inserted_deals"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM (SELECT FROM new_rows LIMIT 1000) few) < 1000 THEN
    INSERT INTO "DealDailyRollup" AS r
    SELECT d."workspaceId", k.kind, k.day, d.team, d."stage", count(*), sum(d."amount"), count(d.seconds), coalesce(sum(d.seconds), 0)
    FROM (
      -- OFFSET 0 keeps the days computed here, once a deal, rather than in each row below.
      SELECT n."workspaceId", coalesce(u."teamId", 0) AS team, n."stage", n."amount", n."createdAt", n."closedAt",
        (n."createdAt" AT TIME ZONE w."timeZone")::date AS created, (n."closedAt" AT TIME ZONE w."timeZone")::date AS closed,
        extract(epoch from (n."closedAt" - n."createdAt")) AS seconds
      FROM new_rows n JOIN "Workspace" w ON w."id" = n."workspaceId" LEFT JOIN "User" u ON u."id" = n."ownerId"
      OFFSET 0) d,
      LATERAL (VALUES (0::smallint, d.created), (1::smallint, d.closed),
        (2::smallint, CASE WHEN d."closedAt" > d."createdAt" THEN d.closed ELSE d.created END)) AS k(kind, day)
    WHERE k.kind = 0 OR d."closedAt" IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("workspaceId", "kind", "day", "teamId", "stage") DO UPDATE SET
      "deals" = r."deals" + EXCLUDED."deals",
      "amount" = r."amount" + EXCLUDED."amount",
      "cycleDeals" = r."cycleDeals" + EXCLUDED."cycleDeals",
      "cycleSeconds" = r."cycleSeconds" + EXCLUDED."cycleSeconds";
  ELSE
    EXECUTE $sql$
    INSERT INTO "DealDailyRollup" AS r
    SELECT d."workspaceId", k.kind, k.day, d.team, d."stage", count(*), sum(d."amount"), count(d.seconds), coalesce(sum(d.seconds), 0)
    FROM (
      -- OFFSET 0 keeps the days computed here, once a deal, rather than in each row below.
      SELECT n."workspaceId", coalesce(u."teamId", 0) AS team, n."stage", n."amount", n."createdAt", n."closedAt",
        (n."createdAt" AT TIME ZONE w."timeZone")::date AS created, (n."closedAt" AT TIME ZONE w."timeZone")::date AS closed,
        extract(epoch from (n."closedAt" - n."createdAt")) AS seconds
      FROM new_rows n JOIN "Workspace" w ON w."id" = n."workspaceId" LEFT JOIN "User" u ON u."id" = n."ownerId"
      OFFSET 0) d,
      LATERAL (VALUES (0::smallint, d.created), (1::smallint, d.closed),
        (2::smallint, CASE WHEN d."closedAt" > d."createdAt" THEN d.closed ELSE d.created END)) AS k(kind, day)
    WHERE k.kind = 0 OR d."closedAt" IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("workspaceId", "kind", "day", "teamId", "stage") DO UPDATE SET
      "deals" = r."deals" + EXCLUDED."deals",
      "amount" = r."amount" + EXCLUDED."amount",
      "cycleDeals" = r."cycleDeals" + EXCLUDED."cycleDeals",
      "cycleSeconds" = r."cycleSeconds" + EXCLUDED."cycleSeconds"
    $sql$;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "kpigraph_rollup_deleted_deals"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  emptied "DealDailyRollup"[];
BEGIN
  IF (SELECT count(*) FROM (SELECT FROM old_rows LIMIT 1000) few) < 1000 THEN
    WITH written AS (
      INSERT INTO "DealDailyRollup" AS r
      SELECT f."workspaceId", f."kind", f."day", f."teamId", f."stage", sum(f."deals"), sum(f."amount"), sum(f."cycleDeals"), sum(f."cycleSeconds")
      FROM old_rows d JOIN "Workspace" w ON w."id" = d."workspaceId" LEFT JOIN "User" u ON u."id" = d."ownerId",
        LATERAL "kpigraph_deal_rollup_facts"(d."workspaceId", w."timeZone", -1, u."teamId", d."stage", d."amount", d."createdAt", d."closedAt") f
      GROUP BY 1, 2, 3, 4, 5
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ("workspaceId", "kind", "day", "teamId", "stage") DO UPDATE SET
        "deals" = r."deals" + EXCLUDED."deals",
        "amount" = r."amount" + EXCLUDED."amount",
        "cycleDeals" = r."cycleDeals" + EXCLUDED."cycleDeals",
        "cycleSeconds" = r."cycleSeconds" + EXCLUDED."cycleSeconds"
      RETURNING r AS sums)
    SELECT array_agg(w.sums) INTO emptied FROM written w
    WHERE (w.sums)."deals" = 0 AND (w.sums)."amount" = 0 AND (w.sums)."cycleDeals" = 0 AND (w.sums)."cycleSeconds" = 0;
  ELSE
    EXECUTE $sql$
    WITH written AS (
      INSERT INTO "DealDailyRollup" AS r
      SELECT f."workspaceId", f."kind", f."day", f."teamId", f."stage", sum(f."deals"), sum(f."amount"), sum(f."cycleDeals"), sum(f."cycleSeconds")
      FROM old_rows d JOIN "Workspace" w ON w."id" = d."workspaceId" LEFT JOIN "User" u ON u."id" = d."ownerId",
        LATERAL "kpigraph_deal_rollup_facts"(d."workspaceId", w."timeZone", -1, u."teamId", d."stage", d."amount", d."createdAt", d."closedAt") f
      GROUP BY 1, 2, 3, 4, 5
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ("workspaceId", "kind", "day", "teamId", "stage") DO UPDATE SET
        "deals" = r."deals" + EXCLUDED."deals",
        "amount" = r."amount" + EXCLUDED."amount",
        "cycleDeals" = r."cycleDeals" + EXCLUDED."cycleDeals",
        "cycleSeconds" = r."cycleSeconds" + EXCLUDED."cycleSeconds"
      RETURNING r AS sums)
    SELECT array_agg(w.sums) FROM written w
    WHERE (w.sums)."deals" = 0 AND (w.sums)."amount" = 0 AND (w.sums)."cycleDeals" = 0 AND (w.sums)."cycleSeconds" = 0
    $sql$ INTO emptied;
  END IF;
  IF emptied IS NOT NULL THEN
    PERFORM "kpigraph_drop_empty_deal_rollup"(emptied);
  END IF;
  RETURN NULL;
END $$;

-- An update takes each changed deal's old rows away and adds its new ones:
-- a deal moved to another day, owner (and so team) or stage corrects both
-- sides. The facts depend on the deal's workspace, owner, stage, amount and
-- dates only, so old and new versions equal in those cancel out before any
-- fact is computed: an update of a deal's title writes nothing.
CREATE FUNCTION "kpigraph_rollup_updated_deals"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  emptied "DealDailyRollup"[];
BEGIN
  IF (SELECT count(*) FROM (SELECT FROM old_rows LIMIT 1000) few) < 1000 THEN
    WITH moved AS (
      SELECT v."workspaceId", v."ownerId", v."stage", v."amount", v."createdAt", v."closedAt", sum(v.sign)::int AS sign
      FROM (SELECT -1 AS sign, o."workspaceId", o."ownerId", o."stage", o."amount", o."createdAt", o."closedAt" FROM old_rows o
            UNION ALL
            SELECT 1, n."workspaceId", n."ownerId", n."stage", n."amount", n."createdAt", n."closedAt" FROM new_rows n) v
      GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(v.sign) <> 0),
    written AS (
      INSERT INTO "DealDailyRollup" AS r
      SELECT f."workspaceId", f."kind", f."day", f."teamId", f."stage", sum(f."deals"), sum(f."amount"), sum(f."cycleDeals"), sum(f."cycleSeconds")
      FROM moved d JOIN "Workspace" w ON w."id" = d."workspaceId" LEFT JOIN "User" u ON u."id" = d."ownerId",
        LATERAL "kpigraph_deal_rollup_facts"(d."workspaceId", w."timeZone", d.sign, u."teamId", d."stage", d."amount", d."createdAt", d."closedAt") f
      GROUP BY 1, 2, 3, 4, 5
      HAVING sum(f."deals") <> 0 OR sum(f."amount") <> 0 OR sum(f."cycleDeals") <> 0 OR sum(f."cycleSeconds") <> 0
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ("workspaceId", "kind", "day", "teamId", "stage") DO UPDATE SET
        "deals" = r."deals" + EXCLUDED."deals",
        "amount" = r."amount" + EXCLUDED."amount",
        "cycleDeals" = r."cycleDeals" + EXCLUDED."cycleDeals",
        "cycleSeconds" = r."cycleSeconds" + EXCLUDED."cycleSeconds"
      RETURNING r AS sums)
    SELECT array_agg(w.sums) INTO emptied FROM written w
    WHERE (w.sums)."deals" = 0 AND (w.sums)."amount" = 0 AND (w.sums)."cycleDeals" = 0 AND (w.sums)."cycleSeconds" = 0;
  ELSE
    EXECUTE $sql$
    WITH moved AS (
      SELECT v."workspaceId", v."ownerId", v."stage", v."amount", v."createdAt", v."closedAt", sum(v.sign)::int AS sign
      FROM (SELECT -1 AS sign, o."workspaceId", o."ownerId", o."stage", o."amount", o."createdAt", o."closedAt" FROM old_rows o
            UNION ALL
            SELECT 1, n."workspaceId", n."ownerId", n."stage", n."amount", n."createdAt", n."closedAt" FROM new_rows n) v
      GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(v.sign) <> 0),
    written AS (
      INSERT INTO "DealDailyRollup" AS r
      SELECT f."workspaceId", f."kind", f."day", f."teamId", f."stage", sum(f."deals"), sum(f."amount"), sum(f."cycleDeals"), sum(f."cycleSeconds")
      FROM moved d JOIN "Workspace" w ON w."id" = d."workspaceId" LEFT JOIN "User" u ON u."id" = d."ownerId",
        LATERAL "kpigraph_deal_rollup_facts"(d."workspaceId", w."timeZone", d.sign, u."teamId", d."stage", d."amount", d."createdAt", d."closedAt") f
      GROUP BY 1, 2, 3, 4, 5
      HAVING sum(f."deals") <> 0 OR sum(f."amount") <> 0 OR sum(f."cycleDeals") <> 0 OR sum(f."cycleSeconds") <> 0
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ("workspaceId", "kind", "day", "teamId", "stage") DO UPDATE SET
        "deals" = r."deals" + EXCLUDED."deals",
        "amount" = r."amount" + EXCLUDED."amount",
        "cycleDeals" = r."cycleDeals" + EXCLUDED."cycleDeals",
        "cycleSeconds" = r."cycleSeconds" + EXCLUDED."cycleSeconds"
      RETURNING r AS sums)
    SELECT array_agg(w.sums) FROM written w
    WHERE (w.sums)."deals" = 0 AND (w.sums)."amount" = 0 AND (w.sums)."cycleDeals" = 0 AND (w.sums)."cycleSeconds" = 0
    $sql$ INTO emptied;
  END IF;
  IF emptied IS NOT NULL THEN
    PERFORM "kpigraph_drop_empty_deal_rollup"(emptied);
  END IF;
  RETURN NULL;
END $$;

-- A rep who changes team takes their deals along: their rows leave the old
-- team and join the new one. Before a rep is deleted (their deals keep no
-- owner) the deals move to no team, where the deals' own update will look
-- for them once the rep is gone.
CREATE FUNCTION "kpigraph_rollup_rep_team"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_team integer := OLD."teamId";
  new_team integer := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW."teamId" END;
BEGIN
  PERFORM "kpigraph_apply_deal_rollup"(ARRAY(
    SELECT f FROM "Deal" d JOIN "Workspace" w ON w."id" = d."workspaceId",
      LATERAL (SELECT -1 AS sign, old_team AS team UNION ALL SELECT 1, new_team) s,
      LATERAL "kpigraph_deal_rollup_facts"(d."workspaceId", w."timeZone", s.sign, s.team, d."stage", d."amount", d."createdAt", d."closedAt") f
    WHERE d."ownerId" = OLD."id"));
  -- A BEFORE DELETE trigger must give the row back, or the delete is skipped.
  RETURN OLD;
END $$;

CREATE FUNCTION "kpigraph_rollup_truncated_deals"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DealDailyRollup";
  RETURN NULL;
END $$;

-- Rebuilds a workspace's rollup from its deals (`kpigraph rollups rebuild`,
-- and a change of the workspace's time zone, which moves every day). Deal
-- writers wait for it (SHARE mode): a deal committed while it read would be
-- counted by neither the rows it read nor the rows it replaced. It sums the
-- facts as the inserted-deals trigger does (a third faster than through
-- kpigraph_deal_rollup_facts, which `kpigraph rollups check` compares with).
CREATE FUNCTION "kpigraph_rebuild_deal_rollup"(workspace_id integer) RETURNS void LANGUAGE sql AS $$
  LOCK TABLE "Deal" IN SHARE MODE;
  DELETE FROM "DealDailyRollup" WHERE "workspaceId" = workspace_id;
  INSERT INTO "DealDailyRollup"
  SELECT d."workspaceId", k.kind, k.day, d.team, d."stage", count(*), sum(d."amount"), count(d.seconds), coalesce(sum(d.seconds), 0)
  FROM (
    SELECT n."workspaceId", coalesce(u."teamId", 0) AS team, n."stage", n."amount", n."createdAt", n."closedAt",
      (n."createdAt" AT TIME ZONE w."timeZone")::date AS created, (n."closedAt" AT TIME ZONE w."timeZone")::date AS closed,
      extract(epoch from (n."closedAt" - n."createdAt")) AS seconds
    FROM "Deal" n JOIN "Workspace" w ON w."id" = n."workspaceId" LEFT JOIN "User" u ON u."id" = n."ownerId"
    WHERE n."workspaceId" = workspace_id
    OFFSET 0) d,
    LATERAL (VALUES (0::smallint, d.created), (1::smallint, d.closed),
      (2::smallint, CASE WHEN d."closedAt" > d."createdAt" THEN d.closed ELSE d.created END)) AS k(kind, day)
  WHERE k.kind = 0 OR d."closedAt" IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5;
$$;

CREATE FUNCTION "kpigraph_rollup_workspace_time_zone"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "kpigraph_rebuild_deal_rollup"(NEW."id");
  RETURN NULL;
END $$;

-- A deleted workspace's deals go by cascade after the workspace row, when
-- the triggers above no longer find its time zone: its rows go here.
CREATE FUNCTION "kpigraph_rollup_deleted_workspaces"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DealDailyRollup" WHERE "workspaceId" IN (SELECT "id" FROM old_rows);
  RETURN NULL;
END $$;

CREATE TRIGGER "rollup_inserted_deals" AFTER INSERT ON "Deal" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_rollup_inserted_deals"();
CREATE TRIGGER "rollup_updated_deals" AFTER UPDATE ON "Deal" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_rollup_updated_deals"();
CREATE TRIGGER "rollup_deleted_deals" AFTER DELETE ON "Deal" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_rollup_deleted_deals"();
CREATE TRIGGER "rollup_truncated_deals" AFTER TRUNCATE ON "Deal"
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_rollup_truncated_deals"();
CREATE TRIGGER "rollup_rep_team" AFTER UPDATE ON "User"
  FOR EACH ROW WHEN (OLD."teamId" IS DISTINCT FROM NEW."teamId") EXECUTE FUNCTION "kpigraph_rollup_rep_team"();
CREATE TRIGGER "rollup_deleted_rep" BEFORE DELETE ON "User"
  FOR EACH ROW WHEN (OLD."teamId" IS NOT NULL) EXECUTE FUNCTION "kpigraph_rollup_rep_team"();
CREATE TRIGGER "rollup_workspace_time_zone" AFTER UPDATE OF "timeZone" ON "Workspace"
  FOR EACH ROW WHEN (OLD."timeZone" IS DISTINCT FROM NEW."timeZone") EXECUTE FUNCTION "kpigraph_rollup_workspace_time_zone"();
CREATE TRIGGER "rollup_deleted_workspaces" AFTER DELETE ON "Workspace" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_rollup_deleted_workspaces"();

-- Bulk imports turn ordinary triggers off (session_replication_role =
-- replica); the rollup must follow them too.
ALTER TABLE "Deal" ENABLE ALWAYS TRIGGER "rollup_inserted_deals", ENABLE ALWAYS TRIGGER "rollup_updated_deals",
  ENABLE ALWAYS TRIGGER "rollup_deleted_deals", ENABLE ALWAYS TRIGGER "rollup_truncated_deals";
ALTER TABLE "User" ENABLE ALWAYS TRIGGER "rollup_rep_team", ENABLE ALWAYS TRIGGER "rollup_deleted_rep";
ALTER TABLE "Workspace" ENABLE ALWAYS TRIGGER "rollup_workspace_time_zone", ENABLE ALWAYS TRIGGER "rollup_deleted_workspaces";

SELECT "kpigraph_rebuild_deal_rollup"("id") FROM "Workspace";
