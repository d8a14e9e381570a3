package com.aicredits.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A workspace: its organization, tier and the settings that govern its credit pool.
 * {@code version} increases with every change; it is how concurrent writers detect each other.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Workspace(
        String workspaceId,
        String organizationId,
        String name,
        Tier tier,
        PricingModel pricingModel,
        boolean casesEnabled,
        Long monthlyCredits,
        Integer agentInstanceLimit,
        List<String> notificationEmails,
        List<Integer> thresholds,
        int hardLimitPercent,
        Byos byos,
        @JsonIgnore List<AddonPackage> addons,
        @JsonIgnore long version) {

    public static final int DEFAULT_HARD_LIMIT_PERCENT = 200;
    public static final List<Integer> DEFAULT_THRESHOLDS = List.of(80, 90, 100, 120, 150, 200);
    /** LEGACY's own defaults (the source's older AI Task model): an alert at 90%, runs refused past 100%. */
    public static final int LEGACY_HARD_LIMIT_PERCENT = 100;
    public static final List<Integer> LEGACY_THRESHOLDS = List.of(90);
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_RECIPIENTS = 50;
    static final int MAX_THRESHOLDS = 20;
    static final int MIN_HARD_LIMIT_PERCENT = 100;
    static final int MAX_HARD_LIMIT_PERCENT = 1_000;
    static final long MAX_MONTHLY_CREDITS = 100_000_000L;
    /**
     * An address as SES takes it: an ASCII dot-atom local part (SES refuses a non-ASCII one: it has no SMTPUTF8), at
     * most 64 characters, and a domain of ASCII labels (an international one in punycode, {@code xn--}). A quoted
     * local part, a display name or a list are refused too: each would be read by SES otherwise than meant.
     */
    private static final Pattern EMAIL = Pattern.compile(
            "(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})");

    public Workspace {
        notificationEmails = List.copyOf(notificationEmails);
        thresholds = thresholds == null ? null : List.copyOf(thresholds);
        addons = addons == null ? List.of() : List.copyOf(addons);
    }

    /** A workspace without a BYOS setting (no run may use the customer's own model). */
    public Workspace(String workspaceId, String organizationId, String name, Tier tier, PricingModel pricingModel,
                     boolean casesEnabled, Long monthlyCredits, Integer agentInstanceLimit, List<String> notificationEmails,
                     List<Integer> thresholds, int hardLimitPercent, List<AddonPackage> addons, long version) {
        this(workspaceId, organizationId, name, tier, pricingModel, casesEnabled, monthlyCredits, agentInstanceLimit,
                notificationEmails, thresholds, hardLimitPercent, null, addons, version);
    }

    /**
     * Validates a spec into the workspace it describes (version 0); every refusal is a 400 naming the field.
     */
    public static Workspace fromSpec(String workspaceId, WorkspaceSpec spec) {
        Ids.workspaceId(workspaceId);
        if (spec.workspaceId() != null && !spec.workspaceId().equals(workspaceId)) {
            throw CreditsException.invalid("workspaceId",
                    "workspaceId in the body (" + CreditsException.quote(spec.workspaceId()) + ") differs from the path ('" + workspaceId + "')");
        }
        String organizationId = Ids.organizationId(spec.organizationId());
        String name = validName(spec.name());
        Tier tier = parseEnum(Tier.class, "tier", spec.tier(), null);
        PricingModel pricingModel = parseEnum(PricingModel.class, "pricingModel", spec.pricingModel(), PricingModel.EXTEND);
        Long monthlyCredits = spec.monthlyCredits();
        if (tier.takesMonthlyCreditsFromWorkspace()) {
            if (monthlyCredits == null) {
                throw CreditsException.invalid("monthlyCredits", "monthlyCredits is required for tier M_PARTNER");
            }
            if (monthlyCredits < 1 || monthlyCredits > MAX_MONTHLY_CREDITS) {
                throw CreditsException.invalid("monthlyCredits",
                        "monthlyCredits must be between 1 and " + MAX_MONTHLY_CREDITS);
            }
        } else if (monthlyCredits != null) {
            throw CreditsException.invalid("monthlyCredits",
                    "monthlyCredits applies only to tier M_PARTNER; tier " + tier + " allocates " + tier.monthlyCredits());
        }
        Integer agentLimit = spec.agentInstanceLimit();
        if (agentLimit != null && (agentLimit < 0 || agentLimit > 10_000)) {
            throw CreditsException.invalid("agentInstanceLimit", "agentInstanceLimit must be between 0 and 10000");
        }
        int hardLimitPercent = spec.hardLimitPercent() != null ? spec.hardLimitPercent()
                : pricingModel == PricingModel.LEGACY ? LEGACY_HARD_LIMIT_PERCENT : DEFAULT_HARD_LIMIT_PERCENT;
        if (hardLimitPercent < MIN_HARD_LIMIT_PERCENT || hardLimitPercent > MAX_HARD_LIMIT_PERCENT) {
            throw CreditsException.invalid("hardLimitPercent",
                    "hardLimitPercent must be between " + MIN_HARD_LIMIT_PERCENT + " and " + MAX_HARD_LIMIT_PERCENT);
        }
        return new Workspace(workspaceId, organizationId, name, tier, pricingModel,
                spec.casesEnabled() == null || spec.casesEnabled(), monthlyCredits, agentLimit,
                validEmails("notificationEmails", spec.notificationEmails()),
                validThresholds("thresholds", spec.thresholds()), hardLimitPercent,
                Byos.fromSpec(spec.byos()), List.of(), 0);
    }

    /** A required display name, at most {@value #MAX_NAME_LENGTH} characters, stripped. */
    static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw CreditsException.invalid("name", "name is required");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw CreditsException.invalid("name", "name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return name.strip();
    }

    static List<String> validEmails(String field, List<String> emails) {
        if (emails == null) {
            return List.of();
        }
        if (emails.size() > MAX_RECIPIENTS) {
            throw CreditsException.invalid(field, "at most " + MAX_RECIPIENTS + " " + field);
        }
        List<String> result = new ArrayList<>();
        for (String email : emails) {
            if (email == null || email.length() > 254 || !EMAIL.matcher(email).matches()) {
                throw CreditsException.invalid(field,
                        field + " must be email addresses as SES accepts them (an ASCII local part of letters,"
                                + " digits and !#$%&'*+/=?^_`{|}~.-; a domain of ASCII labels, punycode for an international"
                                + " one); got " + CreditsException.quote(email));
            }
            if (!result.contains(email)) {
                result.add(email);
            }
        }
        return result;
    }

    static List<Integer> validThresholds(String field, List<Integer> thresholds) {
        if (thresholds == null) {
            return null;
        }
        if (thresholds.size() > MAX_THRESHOLDS) {
            throw CreditsException.invalid(field, "at most " + MAX_THRESHOLDS + " " + field);
        }
        for (Integer t : thresholds) {
            if (t == null || t < 1 || t > MAX_HARD_LIMIT_PERCENT) {
                throw CreditsException.invalid(field,
                        field + " must be whole percentages between 1 and " + MAX_HARD_LIMIT_PERCENT);
            }
        }
        if (new HashSet<>(thresholds).size() != thresholds.size()) {
            throw CreditsException.invalid(field, field + " must not repeat");
        }
        return thresholds.stream().sorted().toList();
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String value, E defaultValue) {
        if (value == null) {
            if (defaultValue != null) {
                return defaultValue;
            }
            throw CreditsException.invalid(field, field + " is required; one of " + names(type));
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw CreditsException.invalid(field,
                field + " must be one of " + names(type) + "; got " + CreditsException.quote(value));
    }

    private static String names(Class<? extends Enum<?>> type) {
        List<String> names = new ArrayList<>();
        for (Enum<?> constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        return String.join(", ", names).toUpperCase(Locale.ROOT);
    }

    /** The monthly allocation before add-ons: the tier's (LEGACY's own figures under LEGACY), or M_PARTNER's own. */
    @JsonIgnore
    public Credits baseMonthlyCredits() {
        return tier.takesMonthlyCreditsFromWorkspace() ? Credits.of(monthlyCredits) : tier.monthlyCredits(pricingModel);
    }

    @JsonIgnore
    public int effectiveAgentInstanceLimit() {
        return agentInstanceLimit != null ? agentInstanceLimit : tier.agentInstanceLimit();
    }

    @JsonIgnore
    public List<Integer> effectiveThresholds() {
        return thresholds != null ? thresholds : pricingModel == PricingModel.LEGACY ? LEGACY_THRESHOLDS : DEFAULT_THRESHOLDS;
    }

    public Workspace withVersion(long newVersion) {
        return new Workspace(workspaceId, organizationId, name, tier, pricingModel, casesEnabled, monthlyCredits,
                agentInstanceLimit, notificationEmails, thresholds, hardLimitPercent, byos, addons, newVersion);
    }

    public Workspace withAddons(List<AddonPackage> newAddons) {
        return new Workspace(workspaceId, organizationId, name, tier, pricingModel, casesEnabled, monthlyCredits,
                agentInstanceLimit, notificationEmails, thresholds, hardLimitPercent, byos, newAddons, version);
    }

    /** The features whose runs may use the customer's own model (none without a BYOS setting). */
    @JsonIgnore
    public java.util.Set<Feature> byosFeatures() {
        return byos == null ? java.util.EnumSet.noneOf(Feature.class) : byos.enabledFeatures();
    }

    /** Same settings, whatever the version. */
    public boolean sameSettingsAs(Workspace other) {
        return Objects.equals(withVersion(0), other.withVersion(0));
    }

    /** The add-on credits of the packages active in {@code period}. */
    @JsonIgnore
    public Credits addonCredits(Period period) {
        return Credits.of(addons.stream().filter(addon -> addon.activeIn(period)).mapToLong(AddonPackage::monthlyCredits).sum());
    }
}
