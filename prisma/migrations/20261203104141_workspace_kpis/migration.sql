-- AlterTable
ALTER TABLE "Goal" ADD COLUMN     "kpiVersion" INTEGER;

-- CreateTable
CREATE TABLE "WorkspaceKpi" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "formula" TEXT NOT NULL,
    "target" DECIMAL(20,6),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WorkspaceKpi_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WorkspaceKpi_workspaceId_key_version_key" ON "WorkspaceKpi"("workspaceId", "key", "version");

-- AddForeignKey
ALTER TABLE "WorkspaceKpi" ADD CONSTRAINT "WorkspaceKpi_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
