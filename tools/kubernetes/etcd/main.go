// Command etcd is etcd's own main (etcdmain.Main), built from the pinned server module in go.mod.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
