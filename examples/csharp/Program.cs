// Deploy a LoRA on a running base-model service, own it, and export what an OpenAI-style client needs; read a
// deployment the stack does not own with getLoraDeployment. (Compiled by the GitHub workflow's dotnet job only.)
using System.Collections.Generic;
using Pulumi;
using PulumiAlaya.Alaya;

return await Deployment.RunAsync(() =>
{
    // Pulumi.Config, not the provider's own PulumiAlaya.Alaya.Config (its settings).
    var config = new Pulumi.Config();
    var lora = new LoraDeployment("support-bot", new LoraDeploymentArgs
    {
        BaseServiceId = config.Require("baseServiceId"),
        ModelId = config.Require("modelId"),
        ServedNames = { "support-bot" },
    });
    // Its whole result is secret: it carries the deployment's apiKey.
    var seen = GetLoraDeployment.Invoke(new GetLoraDeploymentInvokeArgs
    {
        ServiceId = config.Require("readServiceId"),
    });

    return new Dictionary<string, object?>
    {
        ["serviceId"] = lora.ServiceId,
        ["openaiBaseUrl"] = lora.OpenaiBaseUrl,
        ["model"] = lora.Model,
        ["apiKey"] = lora.ApiKey,
        ["readModel"] = seen.Apply(result => result.Model),
    };
});
