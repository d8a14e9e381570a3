package com.aicredits.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * DynamoDB's HTTP answers, recorded once from our DynamoDB engine and then served instantly: the transport of a DynamoDB
 * client in {@link DebitCpuBenchmark}, so that the SDK's marshalling, signing, endpoint rules and parsing stay in the
 * measurement and the network and the database do not. One answer per operation (the {@code X-Amz-Target} header):
 * the last one recorded. The request body is read to its end, as a real transport would send it.
 */
final class RecordedDynamoDb {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadLocal<byte[]> DRAIN_BUFFER = ThreadLocal.withInitial(() -> new byte[8192]);

    /** One recorded answer: status, headers and body bytes exactly as the DynamoDB engine sent them. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /** What a recording holds: the answers by operation, and the table and workspace they are about. */
    record Recording(String table, String workspaceId, Map<String, Answer> answers) {
        void save(Path file) {
            try {
                Files.createDirectories(file.getParent());
                JSON.writeValue(file.toFile(), this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Recording load(Path file) {
            try {
                return JSON.readValue(file.toFile(), Recording.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private RecordedDynamoDb() {
    }

    private static String operation(HttpExecuteRequest request) {
        return request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("?");
    }

    private static void drain(HttpExecuteRequest request) {
        request.contentStreamProvider().ifPresent(provider -> {
            // Into one buffer kept per thread: the bench's own copy should cost what a socket write's would, no more.
            byte[] buffer = DRAIN_BUFFER.get();
            try (InputStream body = provider.newStream()) {
                while (body.read(buffer) >= 0) {
                    // read to the end
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Passes every call to {@code real} and keeps its answer, by operation, in {@code answers}. */
    static SdkHttpClient recording(SdkHttpClient real, Map<String, Answer> answers) {
        return new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                ExecutableHttpRequest call = real.prepareRequest(request);
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        HttpExecuteResponse response = call.call();
                        byte[] body = response.responseBody().isPresent() ? response.responseBody().get().readAllBytes() : new byte[0];
                        SdkHttpResponse http = response.httpResponse();
                        synchronized (answers) {
                            answers.put(operation(request), new Answer(http.statusCode(), new LinkedHashMap<>(http.headers()), body));
                        }
                        return HttpExecuteResponse.builder().response(http)
                                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
                    }

                    @Override
                    public void abort() {
                        call.abort();
                    }
                };
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    /** Answers every call at once with the recorded answer of its operation (an unrecorded one fails the call). */
    static SdkHttpClient replaying(Map<String, Answer> answers) {
        Map<String, SdkHttpResponse> responses = new LinkedHashMap<>();
        answers.forEach((operation, answer) -> responses.put(operation, SdkHttpResponse.builder()
                .statusCode(answer.status()).headers(answer.headers()).build()));
        return new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        String operation = operation(request);
                        Answer answer = answers.get(operation);
                        if (answer == null) {
                            throw new IOException("no recorded answer for " + operation);
                        }
                        drain(request);
                        return HttpExecuteResponse.builder().response(responses.get(operation))
                                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body()))).build();
                    }

                    @Override
                    public void abort() {
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }
}
