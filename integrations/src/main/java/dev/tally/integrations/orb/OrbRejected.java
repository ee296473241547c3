package dev.tally.integrations.orb;

/**
 * Orb refused the request for good (400, 401, 403, 404, 413, 422...): sending it again unchanged
 * would be refused again, so the event that caused it becomes a dead letter.
 */
public final class OrbRejected extends RuntimeException {

    private final transient OrbProblem problem;

    public OrbRejected(String operation, OrbProblem problem) {
        super(operation + " refused by Orb: " + problem.status() + " " + problem.slug()
                + (problem.detail() == null ? "" : " (" + problem.detail() + ")")
                + (problem.validationErrors().isEmpty() ? "" : " " + problem.validationErrors()));
        this.problem = problem;
    }

    public OrbProblem problem() {
        return problem;
    }

    /**
     * A wrong API key or a missing permission: ours to fix, not the event's. Callers hold everything
     * back (the batch rolls back) instead of dead-lettering every event until the key is fixed.
     */
    public boolean isConfigurationError() {
        return problem.status() == 401 || problem.status() == 403;
    }
}
