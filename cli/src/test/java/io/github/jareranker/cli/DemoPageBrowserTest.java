package io.github.jareranker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The demo's search page in a real browser: starts {@code demo} (serving, port 0) with the test model, drives
 * Debian's headless Chromium through its chromedriver to the printed {@code Search page:} URL, types a Japanese
 * query, waits for both lists and compares them with what Solr's {@code /select} and {@code /search} answer for the
 * same parameters, asked here over HTTP without the page. Saves a screenshot as {@code target/demo-page.png}
 * ({@code -Dja-reranker.screenshot=FILE} writes it there too: how {@code docs/images/demo-page.png} is made).
 *
 * <p>Skipped, naming the missing program, where {@code chromium} or {@code chromedriver} is not on the PATH
 * ({@code apt-get install chromium chromium-driver fonts-noto-cjk}; {@code .ci/run} installs them).
 */
class DemoPageBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String QUERY = "ごみの出し方";
    private static final int RERANK_DOCS = 20;
    private static final String OPERATOR = "replace";

    @BeforeAll
    static void home() {
        System.setProperty("ja-reranker.home", TestModels.repoRoot().toString());
    }

    @AfterAll
    static void clear() {
        for (String p : new String[] {
            "ja-reranker.home",
            "jareranker.model.dir",
            "jareranker.onnx.file",
            "host",
            "solr.log.dir",
            "solr.install.dir"
        }) {
            System.clearProperty(p);
        }
    }

    @Test
    void pageShowsSolrsFirstPassAndRerankedLists() throws Exception {
        SolrRuntime.assumeCanStart();
        Optional<Path> chromium = onPath("chromium");
        Optional<Path> chromedriver = onPath("chromedriver");
        assumeTrue(
                chromium.isPresent(),
                "no chromium on the PATH: apt-get install chromium chromium-driver fonts-noto-cjk");
        assumeTrue(
                chromedriver.isPresent(),
                "no chromedriver on the PATH: apt-get install chromium-driver (Debian's, matching chromium)");

        String pageUrl;
        String solrBase;
        try (RunningDemo demo = RunningDemo.start(
                "demo",
                "--port",
                "0",
                "--model",
                TestModels.testModel().toString(),
                "--query",
                QUERY,
                "--rerank-docs",
                String.valueOf(RERANK_DOCS))) {
            pageUrl = demo.pageUrl();
            solrBase = pageUrl.substring(0, pageUrl.length() - (DemoPage.PATH + "/").length());
            assertThat(demo.output()).contains("Query: " + QUERY, "Solr is running at " + solrBase + "/site");

            WebDriver browser = chrome(chromium.get(), chromedriver.get());
            try {
                browser.get(pageUrl + "?operator=" + OPERATOR);
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
                // The page fills its form from settings.json and Solr's model list before a submit means anything.
                wait.until(d -> state(d).equals("ready"));
                browser.findElement(By.id("q")).sendKeys(QUERY, Keys.ENTER);
                wait.ignoring(StaleElementReferenceException.class) // the submit loads a new page
                        .until(d -> d.getCurrentUrl().contains("q=")
                                && List.of("done", "error").contains(state(d)));
                assertThat(browser.findElement(By.tagName("body")).getAttribute("data-state"))
                        .as(browser.findElement(By.id("error")).getText())
                        .isEqualTo("done");
                // The search is in the URL, so it can be bookmarked: the form's values, the query in UTF-8.
                assertThat(browser.getCurrentUrl())
                        .contains("q=" + URLEncoder.encode(QUERY, StandardCharsets.UTF_8))
                        .contains("reRankDocs=" + RERANK_DOCS)
                        .contains("operator=" + OPERATOR);

                List<String> firstPass = docIds(browser, "first-pass");
                List<String> reranked = docIds(browser, "reranked");
                Map<String, String> common = new LinkedHashMap<>();
                common.put("q", QUERY);
                common.put("rows", "10");
                List<String> solrSelect = ids(solr(solrBase, "select", common));
                Map<String, String> deeper = new LinkedHashMap<>(common);
                deeper.put("rows", String.valueOf(RERANK_DOCS));
                List<String> solrSelectTop = ids(solr(solrBase, "select", deeper));
                Map<String, String> rerankParams = new LinkedHashMap<>(common);
                rerankParams.put(
                        "rq",
                        "{!jarerank reRankDocs=" + RERANK_DOCS + " reRankOperator=" + OPERATOR + " reRankWeight=1}");
                List<String> solrSearch = ids(solr(solrBase, "search", rerankParams));
                assertThat(firstPass).isNotEmpty().isEqualTo(solrSelect);
                assertThat(reranked).isEqualTo(solrSearch);
                // Each reranked hit says where it was in the first pass (what its arrow is drawn from): all come
                // from the first pass's top reRankDocs, this query has more matches than that.
                assertThat(solrSelectTop).hasSize(RERANK_DOCS).containsAll(reranked);
                List<WebElement> rerankedHits = browser.findElements(By.cssSelector("#reranked [data-doc-id]"));
                for (WebElement hit : rerankedHits) {
                    String id = hit.getAttribute("data-doc-id");
                    assertThat(hit.getAttribute("data-first-pass-rank"))
                            .as(id)
                            .isEqualTo(String.valueOf(solrSelectTop.indexOf(id) + 1));
                }
                assertThat(browser.findElement(By.id("ignored")).isDisplayed()).isFalse();
                screenshot(browser);

                // A crafted link cannot add rank parameters: reRankDocs, operator and weight from the URL go into
                // the rank query unquoted, so the page takes only an integer, a known operator and a finite number,
                // and falls back to the defaults (the same search as above), saying what it ignored.
                browser.get(pageUrl + "?q=" + URLEncoder.encode(QUERY, StandardCharsets.UTF_8)
                        + "&reRankDocs=" + URLEncoder.encode("5 reRankWeight=100", StandardCharsets.UTF_8)
                        + "&operator=" + URLEncoder.encode("add} x", StandardCharsets.UTF_8)
                        + "&weight=1e999");
                wait.until(d -> List.of("done", "error").contains(state(d)));
                assertThat(state(browser))
                        .as(browser.findElement(By.id("error")).getText())
                        .isEqualTo("done");
                WebElement ignored = browser.findElement(By.id("ignored"));
                assertThat(ignored.isDisplayed()).isTrue();
                assertThat(ignored.getText())
                        .contains("reRankDocs=\"5 reRankWeight=100\"", "operator=\"add} x\"", "weight=\"1e999\"");
                assertThat(browser.findElement(By.id("reRankDocs")).getAttribute("value"))
                        .isEqualTo(String.valueOf(RERANK_DOCS));
                assertThat(browser.findElement(By.id("operator")).getAttribute("value"))
                        .isEqualTo("replace");
                assertThat(browser.findElement(By.id("weight")).getAttribute("value"))
                        .isEqualTo("1");
                String searchLink = browser.findElements(By.cssSelector("#requests a.request"))
                        .get(1)
                        .getAttribute("href");
                assertThat(URLDecoder.decode(searchLink, StandardCharsets.UTF_8))
                        .contains(
                                "rq={!jarerank reRankDocs=" + RERANK_DOCS + " reRankOperator=replace reRankWeight=1}&");
                assertThat(docIds(browser, "reranked")).isEqualTo(solrSearch);
            } finally {
                browser.quit();
            }
        }
        // Interrupting the serving demo stopped its Solr.
        assertThat(reachable(solrBase))
                .as("Solr still answers after the demo stopped")
                .isFalse();
    }

    /** The page's {@code data-state}: idle, ready, searching, done or error. */
    private static String state(WebDriver browser) {
        return browser.findElement(By.tagName("body")).getAttribute("data-state");
    }

    private static WebDriver chrome(Path chromium, Path chromedriver) {
        // Selenium looks for a DevTools binding matching this Chromium and says so at WARNING; none is needed here.
        Logger.getLogger("org.openqa.selenium.devtools").setLevel(Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // CI runs as root
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--lang=ja",
                "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static List<String> docIds(WebDriver browser, String listId) {
        return browser.findElements(By.cssSelector("#" + listId + " [data-doc-id]")).stream()
                .map(e -> e.getAttribute("data-doc-id"))
                .toList();
    }

    private static JsonNode solr(String base, String handler, Map<String, String> params)
            throws IOException, InterruptedException {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/site/" + handler + "?wt=json&" + query))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> ids(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.path("response").path("docs").forEach(d -> ids.add(d.path("id").asText()));
        return ids;
    }

    private static boolean reachable(String base) throws InterruptedException {
        try {
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/admin/info/system"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return !(e.getCause() instanceof ConnectException);
        }
    }

    /** The whole page (the window grown to its height) as target/demo-page.png, and where -Dja-reranker.screenshot says. */
    private static void screenshot(WebDriver browser) throws IOException {
        ChromeDriver chrome = (ChromeDriver) browser;
        long height = (Long) chrome.executeScript("return document.documentElement.scrollHeight");
        // Headless Chromium keeps the viewport at the window size it started with; the DevTools override grows it.
        chrome.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", Math.min(height, 3000), "deviceScaleFactor", 1, "mobile", false));
        byte[] png = chrome.getScreenshotAs(OutputType.BYTES);
        Path target = Path.of("target/demo-page.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        String copy = System.getProperty("ja-reranker.screenshot");
        if (copy != null && !copy.isBlank()) {
            Path file = Path.of(copy);
            if (!file.isAbsolute()) {
                // Relative to the checkout (surefire runs in cli/).
                file = TestModels.repoRoot().resolve(copy);
            }
            Files.write(file, png);
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** {@code demo} serving in a thread of this JVM, as {@code bin/ja-reranker demo} would; closing interrupts it. */
    private static final class RunningDemo implements AutoCloseable {
        private static final Pattern PAGE = Pattern.compile("Search page: (\\S+)");

        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final AtomicInteger exitCode = new AtomicInteger(-1);
        private final Thread thread;

        private RunningDemo(String... args) {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> exitCode.set(cl.execute(args)), "demo-under-test");
        }

        static RunningDemo start(String... args) {
            RunningDemo demo = new RunningDemo(args);
            demo.thread.start();
            return demo;
        }

        /** Waits for the demo to print its page URL (it indexes and compares first). */
        String pageUrl() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = PAGE.matcher(out.toString());
                if (m.find()) {
                    return m.group(1);
                }
                assertThat(thread.isAlive())
                        .as("demo exited with %s before serving: %s", exitCode.get(), err)
                        .isTrue();
                Thread.sleep(100);
            }
            throw new AssertionError("demo printed no 'Search page:' line in 180 s: " + out + err);
        }

        String output() {
            return out.toString();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(thread.isAlive())
                    .as("demo still running 60 s after the interrupt")
                    .isFalse();
            assertThat(exitCode.get()).as(err.toString()).isZero();
        }
    }
}
