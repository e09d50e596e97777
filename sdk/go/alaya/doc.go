// LoRA deployments on Alaya NeW serverless inference: deploy, own and read them, and wire their serviceUrl, apiKey and served name into the next resource.
package alaya
