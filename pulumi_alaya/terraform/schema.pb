
∫∑Ç

access_key"string"hThe access key of the console's Open API Key pair. Default: the `ALAYA_ACCESS_KEY` environment variable.(z

secret_key"string"^The secret key of the Open API Key pair. Default: the `ALAYA_SECRET_KEY` environment variable.(8Ç
base_url"string"jThe API's base URL (default https://api.alayanew.com). Default: the `ALAYA_BASE_URL` environment variable.(Ö
request_timeout"number"fSeconds each request may take (default 30). Default: the `ALAYA_REQUEST_TIMEOUT` environment variable.(~
retries"number"gAttempts more after a transient failure (default 3). Default: the `ALAYA_RETRIES` environment variable.("'The Alaya NeW serverless inference API.á(
alaya_base_model_deploymentÁ'‰'b
id"string"PThe deployment's serviceId (the same as `service_id`): what `tofu import` takes.0∂
vks_id"string"üThe VKS cluster to deploy in. Changing it replaces the deployment (a new one in the new place, then the old one deleted). Must match `^[A-Za-z0-9._-]{1,128}$`. »
	namespace"string"ÆThe VKS namespace to deploy in. Changing it replaces the deployment (a new one in the new place, then the old one deleted). Must match `^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`. Õ
name"string"∏Display name, unique in the namespace. Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). Must match `^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`. Ö
served_names["list", "string"]ﬁNames a chat request may put in model (the first is the model output). Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). Must match `^[A-Za-z0-9._/:@-]{1,128}$` (each item). æ
model_id"string"•The base model to deploy. Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). Must match `^[A-Za-z0-9._/:@-]{1,256}$`. ∫
backend"string"¢The inference engine: vllm or sglang. Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). One of: `vllm`, `sglang`. ”
backend_version"string"≥The inference engine's version. Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). Must match `^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$`. ≤
backend_args["list", "string"]ãExtra arguments of the inference engine. Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away).(∑
workers"number"ùWorkers (instances). Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). At least 1. At most 64. Default: `1`.(0Œ
cpu"string"∫CPU per worker: cores (8, 0.5) or millicores (500m). Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). Must match `^(\d+(\.\d+)?|\d+m)$`. ÿ
mem"string"ƒMemory per worker with a Kubernetes unit (32Gi). Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). Must match `^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)$`. Ã
gpu_type"string"≥The GPU model per worker (A100). Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). Must match `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`. ø
	gpu_count"number"•GPUs per worker (a positive whole number). Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away). At least 1. At most 64. ì
wait_until_running"bool"qWait after create and update until the deployment is running, and after delete until it is gone. Default: `true`.(0§
wait_timeout"number"ÖSeconds each wait may take when the operation's own timeout (customTimeouts, a timeouts block) sets none. At least 0. Default: `600`.(0≤
store_api_key"bool"îKeep the deployment's apiKey in state as the apiKey output (encrypted as a secret). Set false when something else hands the key to its users, such as External Secrets Operator in a cluster: the apiKey output is then absent and the key is nowhere in the state. Default: `true`.(0N

service_id"string"4The deployment's serviceId, its ID in the Alaya API.0ì
status"string"}The deployment's status: starting, running, stopping, stopped or failed (or the API's own word for one the docs do not name).0a
service_url"string"FThe URL that serves the model (POST {serviceUrl}/v1/chat/completions).0™
api_key"string"êThe key a chat request sends in its apiKey header (a secret; left out where the resource's storeApiKey or the module's return_api_key is false).08Z
served_name["list", "string"]5Every name a chat request may put in its model field.0N
model"string"9The first served name: what a chat request puts in model.0Y
openai_base_url"string":serviceUrl + /v1: the base URL for OpenAI-compatible SDKs.0>
mode"string"*How it was deployed: quickStart or expert.0[
lora_models["list", "string"]6The LoRA models running on the base model's instances.0T
ready_instances"number"5Instances whose base model is ready (baseModelReady).0Í
timeouts€ƒ
create"string"≠How long a create's wait until running may wait, as a duration (`30s`, `10m`, `1h`). Default: `wait_timeout`. Past it the deployment is left as it is and named in the error.(Õ
update"string"∂How long an offline update's wait until running may wait, as a duration (`30s`, `10m`, `1h`). Default: `wait_timeout`. Past it the deployment is left as it is and named in the error.(¡
delete"string"™How long a delete's wait until gone may wait, as a duration (`30s`, `10m`, `1h`). Default: `wait_timeout`. Past it the deployment is left as it is and named in the error.("SA base model served on Alaya NeW (QuickStart): the service LoRA deployments run on.ì
alaya_lora_deployment˘ˆb
id"string"PThe deployment's serviceId (the same as `service_id`): what `tofu import` takes.0À
base_service_id"string"´serviceId of the running base-model deployment the LoRA goes on. Must match `^[A-Za-z0-9._-]{1,128}$`. Changing it replaces the deployment unless `offline_update` is true. †
model_id"string"áThe LoRA model to deploy. Must match `^[A-Za-z0-9._/:@-]{1,256}$`. Changing it replaces the deployment unless `offline_update` is true. ∑
name"string"†Display name, unique in the base service's namespace. Default: the resource name plus a random suffix, so a replacement can be created before the old deployment is deleted. Must match `^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`. Changing it replaces the deployment unless `offline_update` is true.(0Á
served_names["list", "string"]¿Names a chat request may put in model (the first is the model output). Must match `^[A-Za-z0-9._/:@-]{1,128}$` (each item). Changing it replaces the deployment unless `offline_update` is true. ì
wait_until_running"bool"qWait after create and update until the deployment is running, and after delete until it is gone. Default: `true`.(0§
wait_timeout"number"ÖSeconds each wait may take when the operation's own timeout (customTimeouts, a timeouts block) sets none. At least 0. Default: `600`.(0˛
offline_update"bool"ﬂApply changes with the API's offline update (stop, update, start: the model is away meanwhile) instead of a replacement (a new deployment first, then the old one deleted; its serviceUrl and apiKey change). Default: `false`.(0≤
store_api_key"bool"îKeep the deployment's apiKey in state as the apiKey output (encrypted as a secret). Set false when something else hands the key to its users, such as External Secrets Operator in a cluster: the apiKey output is then absent and the key is nowhere in the state. Default: `true`.(0N

service_id"string"4The deployment's serviceId, its ID in the Alaya API.0ì
status"string"}The deployment's status: starting, running, stopping, stopped or failed (or the API's own word for one the docs do not name).0a
service_url"string"FThe URL that serves the model (POST {serviceUrl}/v1/chat/completions).0™
api_key"string"êThe key a chat request sends in its apiKey header (a secret; left out where the resource's storeApiKey or the module's return_api_key is false).08Z
served_name["list", "string"]5Every name a chat request may put in its model field.0N
model"string"9The first served name: what a chat request puts in model.0B
	namespace"string")The VKS namespace the deployment runs in.0Y
openai_base_url"string":serviceUrl + /v1: the base URL for OpenAI-compatible SDKs.0Í
timeouts€ƒ
create"string"≠How long a create's wait until running may wait, as a duration (`30s`, `10m`, `1h`). Default: `wait_timeout`. Past it the deployment is left as it is and named in the error.(Õ
update"string"∂How long an offline update's wait until running may wait, as a duration (`30s`, `10m`, `1h`). Default: `wait_timeout`. Past it the deployment is left as it is and named in the error.(¡
delete"string"™How long a delete's wait until gone may wait, as a duration (`30s`, `10m`, `1h`). Default: `wait_timeout`. Past it the deployment is left as it is and named in the error.("ZA LoRA model deployed on a running base-model deployment (Alaya NeW serverless inference).á
alaya_base_model_deploymentÁ‰b
id"string"PThe deployment's serviceId (the same as `service_id`): what `tofu import` takes.0M

service_id"string"3The serviceId of the base-model deployment to read. 3
vks_id"string"The VKS cluster to deploy in.08
	namespace"string"The VKS namespace to deploy in.0:
name"string"&Display name, unique in the namespace.0l
served_names["list", "string"]FNames a chat request may put in model (the first is the model output).01
model_id"string"The base model to deploy.0<
backend"string"%The inference engine: vllm or sglang.0>
backend_version"string"The inference engine's version.0N
backend_args["list", "string"](Extra arguments of the inference engine.0+
workers"number"Workers (instances).0G
cpu"string"4CPU per worker: cores (8, 0.5) or millicores (500m).0C
mem"string"0Memory per worker with a Kubernetes unit (32Gi).08
gpu_type"string" The GPU model per worker (A100).0C
	gpu_count"number"*GPUs per worker (a positive whole number).0ì
status"string"}The deployment's status: starting, running, stopping, stopped or failed (or the API's own word for one the docs do not name).0a
service_url"string"FThe URL that serves the model (POST {serviceUrl}/v1/chat/completions).0™
api_key"string"êThe key a chat request sends in its apiKey header (a secret; left out where the resource's storeApiKey or the module's return_api_key is false).08Z
served_name["list", "string"]5Every name a chat request may put in its model field.0N
model"string"9The first served name: what a chat request puts in model.0Y
openai_base_url"string":serviceUrl + /v1: the base URL for OpenAI-compatible SDKs.0>
mode"string"*How it was deployed: quickStart or expert.0[
lora_models["list", "string"]6The LoRA models running on the base model's instances.0T
ready_instances"number"5Instances whose base model is ready (baseModelReady).0";Reads an existing base-model deployment (never changes it).∏
alaya_lora_deploymentûõb
id"string"PThe deployment's serviceId (the same as `service_id`): what `tofu import` takes.0G

service_id"string"-The serviceId of the LoRA deployment to read. _
base_service_id"string"@serviceId of the running base-model deployment the LoRA goes on.01
model_id"string"The LoRA model to deploy.0¡
name"string"¨Display name, unique in the base service's namespace. Default: the resource name plus a random suffix, so a replacement can be created before the old deployment is deleted.0l
served_names["list", "string"]FNames a chat request may put in model (the first is the model output).0ì
status"string"}The deployment's status: starting, running, stopping, stopped or failed (or the API's own word for one the docs do not name).0a
service_url"string"FThe URL that serves the model (POST {serviceUrl}/v1/chat/completions).0™
api_key"string"êThe key a chat request sends in its apiKey header (a secret; left out where the resource's storeApiKey or the module's return_api_key is false).08Z
served_name["list", "string"]5Every name a chat request may put in its model field.0N
model"string"9The first served name: what a chat request puts in model.0B
	namespace"string")The VKS namespace the deployment runs in.0Y
openai_base_url"string":serviceUrl + /v1: the base URL for OpenAI-compatible SDKs.0"5Reads an existing LoRA deployment (never changes it).2BÅ
alaya_lora_deployment_key„‡?

service_id"string"%The serviceId of the LoRA deployment. ™
api_key"string"êThe key a chat request sends in its apiKey header (a secret; left out where the resource's storeApiKey or the module's return_api_key is false).08"pThe apiKey of a LoRA deployment, read at each run and kept out of plans and state (for `store_api_key = false`).