package org.tcpjmx.agent.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** HTTP basic auth for one user; compares in constant time so the password cannot be guessed by timing. */
final class BasicCredentials extends BasicAuthenticator {
    private final byte[] user;
    private final byte[] password;

    BasicCredentials(String user, String password) {
        super("tcpjmx", StandardCharsets.UTF_8);
        this.user = user.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The JDK's authenticator throws on a header that is no Base64 or has no ':' after decoding, and
     * the client then gets no answer at all (the connection is closed); and it answers another scheme
     * ({@code Bearer ...}) with a 401 that has no challenge. Here each gets a 401 with the
     * {@code WWW-Authenticate} challenge, like any other wrong credential.
     */
    @Override
    public Result authenticate(HttpExchange exchange) {
        Result r;
        try {
            r = super.authenticate(exchange);
        } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
            r = new Authenticator.Failure(401);
        }
        if (r instanceof Authenticator.Failure) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + getRealm() + "\", charset=\"UTF-8\"");
            return new Authenticator.Retry(401);
        }
        return r;
    }

    @Override
    public boolean checkCredentials(String givenUser, String givenPassword) {
        boolean userOk = MessageDigest.isEqual(user, givenUser.getBytes(StandardCharsets.UTF_8));
        boolean passwordOk = MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
        return userOk & passwordOk;
    }
}
