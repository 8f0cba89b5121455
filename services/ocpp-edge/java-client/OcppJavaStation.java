// An OCPP 1.6J charging station built on Java-OCA-OCPP (eu.chargetime.ocpp:v1_6 1.1.0), a client this
// project did not write: connects over wss with basic auth (security profile 2), then sends
// BootNotification, StartTransaction, MeterValues and StopTransaction carrying a signed OCMF dataset
// (format SignedData). Run by services/ocpp-edge/src/infrastructure/javaClient.int.spec.ts:
//   java -cp <classpath> OcppJavaStation.java <ws(s) endpoint> <identity> <password> <CA PEM file> <OCMF file>
// Prints one JSON line per confirmation; exits 0 when every call was answered.
import eu.chargetime.ocpp.ClientEvents;
import eu.chargetime.ocpp.JSONClient;
import eu.chargetime.ocpp.JSONConfiguration;
import eu.chargetime.ocpp.feature.profile.ClientCoreEventHandler;
import eu.chargetime.ocpp.feature.profile.ClientCoreProfile;
import eu.chargetime.ocpp.model.Confirmation;
import eu.chargetime.ocpp.model.Request;
import eu.chargetime.ocpp.model.core.BootNotificationConfirmation;
import eu.chargetime.ocpp.model.core.MeterValue;
import eu.chargetime.ocpp.model.core.SampledValue;
import eu.chargetime.ocpp.model.core.StartTransactionConfirmation;
import eu.chargetime.ocpp.model.core.StopTransactionRequest;
import eu.chargetime.ocpp.model.core.ValueFormat;
import eu.chargetime.ocpp.wss.BaseWssSocketBuilder;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public class OcppJavaStation {
  public static void main(String[] args) throws Exception {
    String endpoint = args[0], identity = args[1], password = args[2];
    String ocmf = Files.readString(Path.of(args[4]), StandardCharsets.UTF_8);

    ClientCoreEventHandler handler = (ClientCoreEventHandler) Proxy.newProxyInstance(
        OcppJavaStation.class.getClassLoader(), new Class<?>[] {ClientCoreEventHandler.class}, (p, m, a) -> null);
    ClientCoreProfile core = new ClientCoreProfile(handler);
    JSONConfiguration config = JSONConfiguration.get()
        .setParameter(JSONConfiguration.USERNAME_PARAMETER, identity)
        .setParameter(JSONConfiguration.PASSWORD_PARAMETER, password.getBytes(StandardCharsets.UTF_8));
    JSONClient client = new JSONClient(core, identity, config);
    if (endpoint.startsWith("wss:")) {
      client.enableWSS(BaseWssSocketBuilder.builder().sslSocketFactory(trusting(args[3]).getSocketFactory()));
    }
    CountDownLatch opened = new CountDownLatch(1);
    client.connect(endpoint, new ClientEvents() {
      public void connectionOpened() { opened.countDown(); }
      public void connectionClosed() {}
    });
    if (!opened.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("no connection to " + endpoint);

    ZonedDateTime begin = ZonedDateTime.of(2025, 6, 3, 7, 48, 45, 0, ZoneOffset.UTC);
    BootNotificationConfirmation boot = (BootNotificationConfirmation) call(client, "BootNotification", core.createBootNotificationRequest("ChargePoint", "CP800"));
    if (!"Accepted".equals(String.valueOf(boot.getStatus()))) throw new IllegalStateException("boot not accepted: " + boot);
    StartTransactionConfirmation start = (StartTransactionConfirmation) call(client, "StartTransaction", core.createStartTransactionRequest(1, "0000000000000005", 0, begin));
    int transactionId = start.getTransactionId();

    SampledValue signed = new SampledValue(ocmf);
    signed.setFormat(ValueFormat.SignedData);
    signed.setContext("Transaction.Begin");
    signed.setMeasurand("Energy.Active.Import.Register");
    Request meter = core.createMeterValuesRequest(1, new MeterValue(begin, new SampledValue[] {signed}));
    ((eu.chargetime.ocpp.model.core.MeterValuesRequest) meter).setTransactionId(transactionId);
    call(client, "MeterValues", meter);

    StopTransactionRequest stop = core.createStopTransactionRequest(416, begin.plusSeconds(40), transactionId);
    SampledValue end = new SampledValue(ocmf);
    end.setFormat(ValueFormat.SignedData);
    end.setContext("Transaction.End");
    stop.setTransactionData(new MeterValue[] {new MeterValue(begin.plusSeconds(40), new SampledValue[] {end})});
    call(client, "StopTransaction", stop);

    client.disconnect();
    System.exit(0);
  }

  static Confirmation call(JSONClient client, String action, Request request) throws Exception {
    Confirmation c = client.send(request).toCompletableFuture().get(20, TimeUnit.SECONDS);
    System.out.println("{\"action\":\"" + action + "\",\"confirmation\":\"" + String.valueOf(c).replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    System.out.flush();
    return c;
  }

  static SSLContext trusting(String caPemFile) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("operator-ca", CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(caPemFile)))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
