-- Argo CD health for LoraDeployment and BaseModelDeployment (serverless.alayanew.com): the controller's kstatus
-- conditions. Healthy: Ready=True for the current generation. Degraded: Stalled=True (its one-line message).
-- Progressing: anything else (Reconciling, a spec the controller has not seen yet, no status yet).
local hs = {status = "Progressing", message = "waiting for the controller"}
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local current = obj.status.observedGeneration ~= nil and obj.metadata.generation ~= nil
  and obj.status.observedGeneration >= obj.metadata.generation
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Stalled" and condition.status == "True" then
    return {status = "Degraded", message = condition.message or condition.reason or "stalled"}
  end
end
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" and condition.status == "True" and current then
    return {status = "Healthy", message = condition.message or "ready"}
  end
  if condition.type == "Reconciling" and condition.status == "True" then
    hs.message = condition.message or condition.reason or hs.message
  end
end
return hs
