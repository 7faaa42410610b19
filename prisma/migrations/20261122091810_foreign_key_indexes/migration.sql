-- DropIndex
DROP INDEX "Activity_workspaceId_customerId_idx";

-- DropIndex
DROP INDEX "Activity_workspaceId_dealId_idx";

-- DropIndex
DROP INDEX "Deal_workspaceId_customerId_idx";

-- DropIndex
DROP INDEX "DealStageEvent_workspaceId_dealId_at_idx";

-- DropIndex
DROP INDEX "Payment_workspaceId_customerId_paidAt_idx";

-- DropIndex
DROP INDEX "Payment_workspaceId_dealId_idx";

-- DropIndex
DROP INDEX "SurveyResponse_workspaceId_customerId_idx";

-- DropIndex
DROP INDEX "Ticket_workspaceId_customerId_idx";

-- CreateIndex
CREATE INDEX "Activity_customerId_idx" ON "Activity"("customerId");

-- CreateIndex
CREATE INDEX "Activity_dealId_idx" ON "Activity"("dealId");

-- CreateIndex
CREATE INDEX "Deal_customerId_idx" ON "Deal"("customerId");

-- CreateIndex
CREATE INDEX "DealStageEvent_dealId_at_idx" ON "DealStageEvent"("dealId", "at");

-- CreateIndex
CREATE INDEX "Payment_customerId_paidAt_idx" ON "Payment"("customerId", "paidAt");

-- CreateIndex
CREATE INDEX "Payment_dealId_idx" ON "Payment"("dealId");

-- CreateIndex
CREATE INDEX "SurveyResponse_customerId_idx" ON "SurveyResponse"("customerId");

-- CreateIndex
CREATE INDEX "Ticket_customerId_idx" ON "Ticket"("customerId");
