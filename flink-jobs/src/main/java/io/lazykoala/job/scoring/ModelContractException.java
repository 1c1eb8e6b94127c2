package io.lazykoala.job.scoring;

/**
 * A model that cannot be used: missing, unreadable, without a contract, or with a contract that does
 * not match the job's configuration. The message is one sentence naming the model and the mismatch,
 * fit to print to a user as is.
 */
public class ModelContractException extends RuntimeException {
    public ModelContractException(String message) {
        super(message);
    }

    public ModelContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
