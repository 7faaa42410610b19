-- AlterTable
ALTER TABLE "Goal" ADD COLUMN     "pacing" TEXT,
ADD COLUMN     "parentId" INTEGER,
ADD COLUMN     "scopeFromOwner" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Goal_workspaceId_parentId_idx" ON "Goal"("workspaceId", "parentId");

-- AddForeignKey
ALTER TABLE "Goal" ADD CONSTRAINT "Goal_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Goal"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Existing goals keep what they measure: their stored scope is explicit
-- (scopeFromOwner false), and only goals created without a scope follow their owner.
