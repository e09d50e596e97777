// Deploy a LoRA on a running base-model service, own it, and hand its outputs to the next resource (a canary
// of the same model, served under a name derived from the first one's), then read one the stack does not own.
package main

import (
	"github.com/pulumi-alaya/pulumi-alaya/sdk/go/alaya"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		conf := config.New(ctx, "")
		support, err := alaya.NewLoraDeployment(ctx, "support-bot", &alaya.LoraDeploymentArgs{
			BaseServiceId: pulumi.String(conf.Require("baseServiceId")),
			ModelId:       pulumi.String(conf.Require("modelId")),
			ServedNames:   pulumi.StringArray{pulumi.String("support-bot")},
		})
		if err != nil {
			return err
		}
		canary, err := alaya.NewLoraDeployment(ctx, "canary", &alaya.LoraDeploymentArgs{
			BaseServiceId: support.BaseServiceId,
			ModelId:       support.ModelId,
			ServedNames:   pulumi.StringArray{pulumi.Sprintf("%s-canary", support.Model)},
		})
		if err != nil {
			return err
		}
		seen := alaya.LookupLoraDeploymentOutput(ctx, alaya.LookupLoraDeploymentOutputArgs{
			ServiceId: pulumi.String(conf.Require("readServiceId")),
		})
		ctx.Export("serviceId", support.ServiceId)
		ctx.Export("openaiBaseUrl", support.OpenaiBaseUrl)
		ctx.Export("model", support.Model)
		ctx.Export("apiKey", support.ApiKey)
		ctx.Export("canaryModel", canary.Model)
		ctx.Export("readModel", seen.Model())
		return nil
	})
}
