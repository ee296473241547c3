#!/usr/bin/env bash
# Re-vendors the Kubernetes API schemas that k8s-validation checks the overlays against: fabric8's
# schema/validation-schema.json from each kubernetes-model jar on Maven Central, copied byte for byte (the
# validator adapts them in memory, see KubernetesSchemas), then prints the SHA-256 sums for k8s/schemas/README.md.
# Run from the repository root:  k8s/schemas/refresh.sh [version]   (MAVEN_REPOSITORY if not ~/.m2/repository)
set -euo pipefail
version="${1:-6.13.4}"
modules="core apps batch autoscaling policy networking"
target="k8s/schemas/fabric8-kubernetes-model-$version"
repository="${MAVEN_REPOSITORY:-$HOME/.m2/repository}"   # where dependency:get puts the jars
mkdir -p "$target"
for module in $modules; do
  mvn -q dependency:get -Dartifact="io.fabric8:kubernetes-model-$module:$version" -Dtransitive=false
  jar="$repository/io/fabric8/kubernetes-model-$module/$version/kubernetes-model-$module-$version.jar"
  unzip -p "$jar" schema/validation-schema.json > "$target/kubernetes-model-$module.json"
  echo "jar  $(sha256sum "$jar" | cut -d' ' -f1)  kubernetes-model-$module-$version.jar"
done
(cd "$target" && sha256sum kubernetes-model-*.json)
