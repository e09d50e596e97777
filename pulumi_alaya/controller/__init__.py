"""The Kubernetes controller (``alaya controller``, the ``pulumi-alaya[controller]`` extra, on kopf): owns Alaya
deployments declared as ``LoraDeployment`` and ``BaseModelDeployment`` resources, with the owning rules of
``owning/``. ``resource``/``crds``: the kinds and their generated CRDs; ``reconcile``: one step of one resource;
``handlers``: kopf's daemon and finalizer; ``lease``: one active replica; ``kube``: the Kubernetes calls;
``command``: the command line. Imports ``client`` and ``owning`` only."""
