// Deploy a LoRA on a running base-model service, own it, and hand its outputs to the next resource: the app's
// OpenAI-style client config (a file with the key, mode 0600), rewritten whenever URL, model or key change.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as alaya from "@pulumi-alaya/alaya";

const config = new pulumi.Config();

const lora = new alaya.LoraDeployment("support-bot", {
    baseServiceId: config.require("baseServiceId"),
    modelId: config.require("modelId"),
    servedNames: ["support-bot"],
});

// A deployment this stack does not own, read by serviceId (its whole result is secret: it carries the apiKey).
const seen = alaya.getLoraDeploymentOutput({ serviceId: config.require("readServiceId") });

interface AppConfigInputs { path: string; baseUrl: string; model: string; apiKey: string }

const appConfigProvider: pulumi.dynamic.ResourceProvider<AppConfigInputs> = {
    async create(inputs) {
        write(inputs);
        return { id: inputs.path, outs: inputs };
    },
    async update(_id, _olds, news) {
        write(news);
        return { outs: news };
    },
    async delete(_id, props) {
        fs.rmSync(props.path, { force: true });
    },
};

function write(inputs: AppConfigInputs): void {
    const body = JSON.stringify({ base_url: inputs.baseUrl, model: inputs.model, api_key: inputs.apiKey });
    fs.writeFileSync(inputs.path, body, { mode: 0o600 });
}

class AppConfig extends pulumi.dynamic.Resource {
    constructor(name: string, args: pulumi.Input<AppConfigInputs> | Record<string, pulumi.Input<string>>) {
        super(appConfigProvider, name, args, { additionalSecretOutputs: ["apiKey"] });
    }
}

const app = new AppConfig("app-config", {
    path: config.get("appConfigPath") ?? path.resolve("app-config.json"),
    baseUrl: lora.openaiBaseUrl,
    model: lora.model,
    // Absent only with storeApiKey: false (then nothing in the stack holds the key).
    apiKey: lora.apiKey.apply(key => key ?? ""),
});

export const serviceId = lora.serviceId;
export const openaiBaseUrl = lora.openaiBaseUrl;
export const model = lora.model;
export const apiKey = lora.apiKey;
export const appConfigPath = app.id;
export const readModel = seen.model;
