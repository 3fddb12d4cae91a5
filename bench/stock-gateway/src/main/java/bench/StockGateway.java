package bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Spring Cloud Gateway as it comes: one route from properties, default filters, no Portcullis code. */
@SpringBootApplication
public class StockGateway {

    public static void main(String[] args) {
        SpringApplication.run(StockGateway.class, args);
    }
}
