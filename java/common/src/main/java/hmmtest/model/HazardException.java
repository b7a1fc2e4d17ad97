package hmmtest.model;

/** Thrown inside the simulation when a fatal hazard is reached; the path has no outcome. */
final class HazardException extends RuntimeException {
    final Hazard hazard;

    HazardException(Hazard hazard) {
        super(hazard.toString(), null, false, false);
        this.hazard = hazard;
    }
}
