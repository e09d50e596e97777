# A base model, a LoRA on it, and what a chat client needs from it. The keys come from ALAYA_ACCESS_KEY and
# ALAYA_SECRET_KEY (ALAYA_BASE_URL for another endpoint), so nothing secret is written here.
terraform {
  required_providers {
    alaya = {
      source  = "alayanew/alaya"
      version = "0.4.0"
    }
  }
}

provider "alaya" {}

resource "alaya_base_model_deployment" "qwen" {
  vks_id          = "vks-demo"
  namespace       = "vks-demo"
  name            = "qwen2-7b-terraform"
  served_names    = ["qwen2-7b-terraform"]
  model_id        = "qwen2-7b-instruct"
  backend         = "vllm"
  backend_version = "0.8.5"
  cpu             = "8"
  mem             = "32Gi"
  gpu_type        = "A100"
  gpu_count       = 1
}

resource "alaya_lora_deployment" "support" {
  base_service_id = alaya_base_model_deployment.qwen.id
  model_id        = "lora-support-v3"
  served_names    = ["support-bot-terraform"]

  timeouts {
    create = "15m"
  }
}

output "service_id" {
  value = alaya_lora_deployment.support.id
}

output "openai_base_url" {
  value = alaya_lora_deployment.support.openai_base_url
}

output "model" {
  value = alaya_lora_deployment.support.model
}

output "api_key" {
  value     = alaya_lora_deployment.support.api_key
  sensitive = true
}
