// The whole stack in one program: a base-model deployment, two LoRA adapters on it, and the app's config
// (a file with each adapter's URL, model and key, mode 0600). The LoRAs take the base's serviceId, so the
// engine creates the base first and, on destroy, deletes the LoRAs before the base.
//
// Rotating a leaked apiKey: `pulumi config set rotation <anything new>` and `pulumi up`. Pulumi's own
// replacementTrigger option replaces the adapters create-before-delete (they are auto-named, so the new one
// runs beside the old until it is ready), and the app config gets the new keys in the same up.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as alaya from "@pulumi-alaya/alaya";

const config = new pulumi.Config();
const rotation = config.get("rotation") ?? "1";

const base = new alaya.BaseModelDeployment("qwen", {
    vksId: config.get("vksId") ?? "vks-1",
    namespace: config.get("namespace") ?? "ns-a",
    name: "qwen-base",
    servedNames: ["qwen"],
    modelId: "qwen2-7b",
    backend: "vllm",
    backendVersion: "0.6.3",
    backendArgs: ["--max-model-len=4096"],
    cpu: "8",
    mem: "32Gi",
    gpuType: "A100",
    gpuCount: 1,
}, { customTimeouts: { create: "30m", update: "30m", delete: "10m" } });  // bounds each wait, not waitTimeout

const adapters = [
    { key: "support", modelId: "lora-support-v3", served: "support-bot" },
    { key: "summary", modelId: "lora-summarise-v1", served: "summariser" },
];
const loras = adapters.map(a => new alaya.LoraDeployment(a.key, {
    baseServiceId: base.serviceId,
    modelId: a.modelId,
    servedNames: [a.served],
}, { replacementTrigger: rotation }));

interface AppConfigInputs { path: string; models: { baseUrl: string; model: string; apiKey: string }[] }

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
    const models = inputs.models.map(m => ({ base_url: m.baseUrl, model: m.model, api_key: m.apiKey }));
    fs.writeFileSync(inputs.path, JSON.stringify({ models }), { mode: 0o600 });
}

class AppConfig extends pulumi.dynamic.Resource {
    constructor(name: string, args: Record<string, pulumi.Input<unknown>>) {
        super(appConfigProvider, name, args, {});
    }
}

const app = new AppConfig("app-config", {
    path: config.get("appConfigPath") ?? path.resolve("app-config.json"),
    // The whole list is secret: it carries the keys.
    models: pulumi.secret(loras.map(l => ({ baseUrl: l.openaiBaseUrl, model: l.model, apiKey: l.apiKey.apply(key => key ?? "") }))),
});

export const baseId = base.serviceId;
export const baseGpuCount = base.gpuCount;
export const loraIds = loras.map(l => l.serviceId);
export const appConfigPath = app.id;
