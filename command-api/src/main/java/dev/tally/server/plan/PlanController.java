package dev.tally.server.plan;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.money.CurrencyUnits;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.plan.PlanStreams;
import dev.tally.ledger.api.plan.PriceModel;
import dev.tally.ledger.api.plan.PublishPlan;
import dev.tally.ledger.api.plan.Tier;
import dev.tally.ledger.plan.PlanCatalog;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.auth.Role;
import dev.tally.server.web.command.LedgerCommands;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.json.Amounts;
import dev.tally.server.account.AccountCurrencies;
import dev.tally.server.web.json.RequestFields;
import dev.tally.server.web.position.LedgerPositions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.tally.server.web.openapi.Refusals;

/** {@code POST /v1/plans} publishes a version; {@code GET /v1/plans/{planId}} lists them all. */
@ConditionalOnTallyRole(TallyRole.API)
@RestController
@Tag(name = "plans", description = "Price plans and their versions")
class PlanController {

    /** A tier of a graduated or volume price; {@code upTo} null is the open-ended last tier. */
    @Schema(name = "Tier")
    record TierBody(String upTo, String unitPrice, String flatFee) {
    }

    /** {@code model} is per_unit, graduated, volume or package. */
    @Schema(name = "Price")
    record PriceBody(@Schema(requiredMode = REQUIRED) String meter, @Schema(requiredMode = REQUIRED) String model,
                     String unitPrice, List<TierBody> tiers, String packageSize, String packagePrice) {
    }

    @Schema(name = "PublishPlanRequest")
    record PublishPlanBody(@Schema(requiredMode = REQUIRED) String planId,
                           @Schema(requiredMode = REQUIRED) String currency,
                           String effectiveFrom, String minimumCommitment,
                           @Schema(requiredMode = REQUIRED) List<PriceBody> prices) {
    }

    @Schema(name = "PlanVersion")
    record PlanVersionView(String planId, int version, String currency, Instant effectiveFrom, String minimumCommitment,
                           List<PriceBody> prices, Instant publishedAt) {
    }

    @Schema(name = "Plan")
    record PlanView(String planId, List<PlanVersionView> versions) {
    }

    private final LedgerCommands commands;
    private final PlanCatalog plans;
    private final LedgerPositions positions;

    PlanController(LedgerCommands commands, PlanCatalog plans, LedgerPositions positions) {
        this.commands = commands;
        this.plans = plans;
        this.positions = positions;
    }

    @PostMapping("/v1/plans")
    @Operation(operationId = "publishPlan", summary = "Publish a plan version", description = "Roles: admin, finance.")
    @ApiResponse(responseCode = "201", description = "The version published", useReturnTypeSchema = true)
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD, ErrorCode.UNSUPPORTED_CURRENCY,
            ErrorCode.INVALID_AMOUNT, ErrorCode.INVALID_PRICE, ErrorCode.INVALID_TIMESTAMP,
            ErrorCode.PLAN_CURRENCY_CHANGED, ErrorCode.EFFECTIVE_FROM_IN_PAST, ErrorCode.EFFECTIVE_FROM_NOT_AFTER_PREVIOUS})
    ResponseEntity<PlanVersionView> publish(@RequestBody PublishPlanBody body, Caller caller) {
        caller.require(Role.ADMIN, Role.FINANCE);
        String planId = RequestFields.identifier(body.planId(), "planId");
        if (body.currency() == null) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, "currency is required");
        }
        if (!CurrencyUnits.isKnown(body.currency())) {
            throw new ProblemException(ErrorCode.UNSUPPORTED_CURRENCY, "currency must be an ISO-4217 code");
        }
        BigDecimal minimum = RequestFields.optionalDecimal(body.minimumCommitment(), "minimumCommitment");
        commands.send(new PublishPlan(planId, body.currency(), RequestFields.optionalInstant(body.effectiveFrom(),
                "effectiveFrom"), minimum == null ? null : AccountCurrencies.amount(body.currency(), minimum,
                "minimumCommitment"), prices(body.prices())));
        PlanPublished latest = plans.versionsOf(planId).stream().reduce((first, second) -> second).orElseThrow();
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(LedgerPositions.HEADER, Long.toString(positions.latestPositionOf(List.of(PlanStreams.idOf(planId)))))
                .header("Location", "/v1/plans/" + planId)
                .body(view(latest));
    }

    @GetMapping("/v1/plans/{planId}")
    @Operation(operationId = "getPlan", summary = "A plan with all its versions", description = "Roles: any.")
    @Refusals(ErrorCode.NOT_FOUND)
    PlanView get(@PathVariable String planId, @RequestParam(required = false) Long minPosition, Caller caller) {
        positions.awaitEventStore(minPosition);
        List<PlanPublished> versions = plans.versionsOf(planId);
        if (versions.isEmpty()) {
            throw new ProblemException(ErrorCode.NOT_FOUND, "no plan " + planId);
        }
        return new PlanView(planId, versions.stream().map(PlanController::view).toList());
    }

    private static List<MeterPrice> prices(List<PriceBody> bodies) {
        if (bodies == null || bodies.isEmpty()) {
            throw new ProblemException(ErrorCode.MISSING_FIELD, "prices is required");
        }
        List<MeterPrice> prices = new ArrayList<>();
        for (PriceBody body : bodies) {
            if (body == null) {
                throw new ProblemException(ErrorCode.INVALID_PRICE, "a price is an object");
            }
            PriceModel model = body.model() == null ? null : PriceModel.fromWireName(body.model());
            if (model == null) {
                throw new ProblemException(ErrorCode.INVALID_PRICE, "model is per_unit, graduated, volume or package");
            }
            List<Tier> tiers = new ArrayList<>();
            for (TierBody tier : body.tiers() == null ? List.<TierBody>of() : body.tiers()) {
                if (tier == null) {
                    throw new ProblemException(ErrorCode.INVALID_PRICE, "a tier is an object");
                }
                tiers.add(new Tier(RequestFields.optionalDecimal(tier.upTo(), "tiers[].upTo"),
                        RequestFields.optionalDecimal(tier.unitPrice(), "tiers[].unitPrice"),
                        RequestFields.optionalDecimal(tier.flatFee(), "tiers[].flatFee")));
            }
            prices.add(new MeterPrice(RequestFields.optionalText(body.meter(), "prices[].meter"), model, RequestFields.optionalDecimal(body.unitPrice(), "unitPrice"),
                    tiers, RequestFields.optionalDecimal(body.packageSize(), "packageSize"),
                    RequestFields.optionalDecimal(body.packagePrice(), "packagePrice")));
        }
        return prices;
    }

    private static PlanVersionView view(PlanPublished version) {
        List<PriceBody> prices = version.prices().stream().map(price -> new PriceBody(price.meter(),
                price.model().wireName(), Amounts.plain(price.unitPrice()),
                price.tiers().isEmpty() ? null : price.tiers().stream().map(tier -> new TierBody(
                        Amounts.plain(tier.upTo()), Amounts.plain(tier.unitPrice()), Amounts.plain(tier.flatFee()))).toList(),
                Amounts.plain(price.packageSize()), Amounts.plain(price.packagePrice()))).toList();
        return new PlanVersionView(version.planId(), version.version(), version.currency(), version.effectiveFrom(),
                Amounts.format(version.minimumCommitment()), prices, version.publishedAt());
    }
}
