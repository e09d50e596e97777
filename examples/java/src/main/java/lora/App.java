// Deploy a LoRA on a running base-model service, own it, and export what an OpenAI-style client needs; read a
// deployment the stack does not own with getLoraDeployment.
package lora;

import com.pulumi.Pulumi;
import com.pulumialaya.alaya.AlayaFunctions;
import com.pulumialaya.alaya.LoraDeployment;
import com.pulumialaya.alaya.LoraDeploymentArgs;
import com.pulumialaya.alaya.inputs.GetLoraDeploymentArgs;

public class App {
    public static void main(String[] args) {
        Pulumi.run(ctx -> {
            var config = ctx.config();
            var lora = new LoraDeployment("support-bot", LoraDeploymentArgs.builder()
                .baseServiceId(config.require("baseServiceId"))
                .modelId(config.require("modelId"))
                .servedNames("support-bot")
                .build());
            // Its whole result is secret: it carries the deployment's apiKey.
            var seen = AlayaFunctions.getLoraDeployment(GetLoraDeploymentArgs.builder()
                .serviceId(config.require("readServiceId"))
                .build());

            ctx.export("serviceId", lora.serviceId());
            ctx.export("openaiBaseUrl", lora.openaiBaseUrl());
            ctx.export("model", lora.model());
            ctx.export("apiKey", lora.apiKey());
            ctx.export("readModel", seen.applyValue(result -> result.model()));
        });
    }
}
