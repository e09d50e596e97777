import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
export const message = `${config.require("greeting")}, world`;
export const token = config.requireSecret("token");
export const runtime = "nodejs";
