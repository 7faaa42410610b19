-- CreateTable
CREATE TABLE "WorkspaceDataVersion" (
    "workspaceId" INTEGER NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "WorkspaceDataVersion_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "WorkspaceDataChange" (
    "transactionId" BIGINT NOT NULL,
    "workspaceId" INTEGER NOT NULL,

    CONSTRAINT "WorkspaceDataChange_pkey" PRIMARY KEY ("transactionId","workspaceId")
);

-- Every statement that changes a workspace's rows notes the workspace for its
-- transaction; at commit a deferred trigger raises the workspace's version
-- once. Raising it at commit rather than at the statement keeps the lock on
-- the version row out of the transaction's own lock order (no deadlocks
-- between writers of one workspace) and short.
CREATE FUNCTION "kpigraph_note_inserted_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WorkspaceDataChange" ("transactionId", "workspaceId")
  SELECT DISTINCT txid_current(), "workspaceId" FROM new_rows
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION "kpigraph_note_deleted_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WorkspaceDataChange" ("transactionId", "workspaceId")
  SELECT DISTINCT txid_current(), "workspaceId" FROM old_rows
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION "kpigraph_note_updated_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WorkspaceDataChange" ("transactionId", "workspaceId")
  SELECT txid_current(), "workspaceId" FROM (SELECT "workspaceId" FROM new_rows UNION SELECT "workspaceId" FROM old_rows) AS changed
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION "kpigraph_note_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WorkspaceDataChange" ("transactionId", "workspaceId")
  SELECT txid_current(), "id" FROM "Workspace"
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION "kpigraph_note_workspace_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WorkspaceDataChange" ("transactionId", "workspaceId")
  VALUES (txid_current(), NEW."id")
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION "kpigraph_raise_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WorkspaceDataVersion" ("workspaceId", "version") VALUES (NEW."workspaceId", 1)
  ON CONFLICT ("workspaceId") DO UPDATE SET "version" = "WorkspaceDataVersion"."version" + 1;
  DELETE FROM "WorkspaceDataChange" WHERE "transactionId" = NEW."transactionId" AND "workspaceId" = NEW."workspaceId";
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "raise_data_version" AFTER INSERT ON "WorkspaceDataChange"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "kpigraph_raise_data_version"();

CREATE TRIGGER "note_data_change" AFTER UPDATE ON "Workspace"
  FOR EACH ROW EXECUTE FUNCTION "kpigraph_note_workspace_row"();

-- Bulk imports turn ordinary triggers off (session_replication_role =
-- replica) to skip row-by-row foreign-key checks; these must fire anyway.
ALTER TABLE "WorkspaceDataChange" ENABLE ALWAYS TRIGGER "raise_data_version";
ALTER TABLE "Workspace" ENABLE ALWAYS TRIGGER "note_data_change";

DO $$
DECLARE
  source text;
BEGIN
  FOREACH source IN ARRAY ARRAY['Team', 'User', 'Campaign', 'Customer', 'Deal', 'DealStageEvent', 'Activity', 'Payment',
                                'SurveyResponse', 'Ticket', 'Spend', 'LedgerEntry', 'Goal'] LOOP
    EXECUTE format('CREATE TRIGGER note_inserted_rows AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_note_inserted_rows"()', source);
    EXECUTE format('CREATE TRIGGER note_updated_rows AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_note_updated_rows"()', source);
    EXECUTE format('CREATE TRIGGER note_deleted_rows AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_note_deleted_rows"()', source);
    EXECUTE format('CREATE TRIGGER note_truncate AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION "kpigraph_note_truncate"()', source);
    EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER note_inserted_rows, ENABLE ALWAYS TRIGGER note_updated_rows, ENABLE ALWAYS TRIGGER note_deleted_rows, ENABLE ALWAYS TRIGGER note_truncate', source);
  END LOOP;
END $$;
