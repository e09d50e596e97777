// pulumi-language-yaml: Pulumi's YAML language host (github.com/pulumi/pulumi-yaml's server) behind a main of
// our own. The published cmd/pulumi-language-yaml main builds the host with useRPCLoader=false, so it loads
// package schemas through a plugin host of its own; this one asks the engine's schema loader instead (the
// RunRequest's LoaderTarget), as every other language host does under the v3.274 CLI.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/pulumi/pulumi-yaml/pkg/server"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

func main() {
	// The engine starts a language host as `HOST [--logtostderr] [-v=N] [--tracing URL] ENGINE_ADDRESS`
	// (sdk/go/common/resource/plugin); logging registers the first two flags.
	tracing := flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	flag.String("root", "", "Root of the program execution (unused; kept for older engines)")
	flag.Parse()
	logging.InitLogging(false, 0, false)
	cmdutil.InitTracing("pulumi-language-yaml", "pulumi-language-yaml", *tracing)

	var engineAddress string
	var cancel chan bool
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
		var err error
		if cancel, err = stopWhenEngineGoes(engineAddress); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check host RPC server: %w", err))
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, server.NewLanguageHost(engineAddress, *tracing, true))
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	fmt.Printf("%d\n", handle.Port) // the engine reads the port from our first line of output
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

// stopWhenEngineGoes returns a channel closed when the engine stops answering health checks or on SIGINT, so
// the host never outlives the `pulumi` process that started it.
func stopWhenEngineGoes(engineAddress string) (chan bool, error) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	done := make(chan bool)
	go func() {
		<-ctx.Done()
		cancel()
		close(done)
	}()
	return done, rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel)
}
