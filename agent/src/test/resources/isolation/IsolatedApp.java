import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.jolokia.jvmagent.JolokiaServer;
import org.jolokia.jvmagent.JolokiaServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application with its own JNA, SLF4J (and binding) and Jolokia, of other versions than the
 * tcpjmx agent's. Run in source-file mode against those jars, with the agent loaded; prints what
 * it uses, and does it again for each "check" line on stdin.
 */
public class IsolatedApp {
    public interface CLib extends Library {
        int getpid();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("host", "127.0.0.1");
        config.put("port", "0");
        JolokiaServer jolokia = new JolokiaServer(new JolokiaServerConfig(config));
        jolokia.start();
        report(jolokia);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("check")) {
                report(jolokia);
            }
        }
        jolokia.stop();
    }

    static void report(JolokiaServer jolokia) throws Exception {
        CLib c = Native.load("c", CLib.class);
        System.out.println("jna " + Native.VERSION + " " + where(Native.class) + " getpid=" + c.getpid());
        Logger log = LoggerFactory.getLogger("isolated-app");
        log.info("the application's own SLF4J binding speaks");
        System.out.println("slf4j " + where(LoggerFactory.class) + " binding=" + LoggerFactory.getILoggerFactory().getClass().getName());
        HttpResponse<String> version = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(jolokia.getUrl() + "/version")).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("jolokia " + where(JolokiaServer.class) + " answers " + version.body());
        System.out.println("agent " + System.getProperty("tcpjmx.agent.url"));
        System.out.println("REPORTED");
    }

    static String where(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation().getPath();
    }
}
