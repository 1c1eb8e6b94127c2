package io.lazykoala.job.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** One /metrics endpoint per JVM: a task manager's sink starts it unless the CLI already serves one. */
class ScrapeEndpointTest {
    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int status(int port) throws Exception {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException nothingListening) {
            return -1;
        }
    }

    @Test
    void aSinkInAJvmWithoutAnEndpointStartsOneOnItsPort() throws Exception {
        assertThat(ScrapeEndpoint.serving()).isFalse();
        int port = freePort();
        ScrapeEndpoint.ensureServing(-1);
        assertThat(ScrapeEndpoint.serving()).isFalse();
        ScrapeEndpoint.ensureServing(port);
        try {
            assertThat(ScrapeEndpoint.serving()).isTrue();
            assertThat(status(port)).isEqualTo(200);
            int other = freePort();
            ScrapeEndpoint.ensureServing(other); // a second sink in the same JVM: the same endpoint
            assertThat(status(other)).isEqualTo(-1);
        } finally {
            ScrapeEndpoint.stopServing();
        }
        assertThat(status(port)).isEqualTo(-1);
    }

    @Test
    void theCliEndpointIsReusedAndATakenPortIsNotFatal() throws Exception {
        try (ScrapeEndpoint cli = ScrapeEndpoint.start("127.0.0.1", 0)) {
            ScrapeEndpoint.ensureServing(freePort());
            assertThat(ScrapeEndpoint.current()).isSameAs(cli);
        }
        try (ServerSocket taken = new ServerSocket(0)) {
            ScrapeEndpoint.ensureServing(taken.getLocalPort()); // logs and carries on
            assertThat(ScrapeEndpoint.serving()).isFalse();
        }
    }
}
