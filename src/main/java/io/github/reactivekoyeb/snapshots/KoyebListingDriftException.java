package io.github.reactivekoyeb.snapshots;

/**
 * A consistent listing ({@link ListSnapshotsRequest.Builder#consistent(boolean)}) lost its place:
 * more changed between two page requests than it can follow, so that none of the snapshots it had
 * emitted last could be found again, even after its repair requests. It ends with this error
 * rather than emit a listing with a hole. Start a new listing (or resume one with
 * {@code startOffset}, which is exact again from there).
 */
public class KoyebListingDriftException extends KoyebException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the client does this.
     *
     * @param anchors how many of the last snapshots emitted the listing looked for
     * @param repairs how many repair requests it sent
     * @param details the listing's request ({@code GET /v1/snapshots})
     */
    public KoyebListingDriftException(int anchors, int repairs, KoyebErrorDetails details) {
        super(details.method() + ' ' + details.path() + ": the consistent listing drifted: none of the last "
                + anchors + " snapshots it emitted was found again after " + repairs + " repair requests (more"
                + " snapshots were removed or created between two page requests than it can follow)", details, null);
    }
}
