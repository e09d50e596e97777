//go:build tools

// Package tools pins the ESO controller command scripts/kubernetes-tools.sh builds from this module.
package tools

import _ "github.com/external-secrets/external-secrets"
