package dev.tally.k8s;

/** An image reference split into its name and tag (null when untagged); a port in the registry is not a tag. */
record ContainerImage(String name, String tag) {

    static ContainerImage parse(String reference) {
        int lastSlash = reference.lastIndexOf('/');
        int colon = reference.indexOf(':', lastSlash + 1);
        return colon < 0 ? new ContainerImage(reference, null)
                : new ContainerImage(reference.substring(0, colon), reference.substring(colon + 1));
    }
}
