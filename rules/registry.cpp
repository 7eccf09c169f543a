// The one table of rules. Codes are never reused; a retired rule keeps its code.
#include "core/text.h"
#include "rules/rule.h"

namespace planner {

extern const Rule kInvalidYaml, kSchemaViolation, kUnknownKey, kOsReserveRange, kKvReserveRange, kKvExceedsReserve,
    kRouteExceedsBudget, kRouteExceedsGpuLimit, kResidentRoutes, kMinRamUnderstated, kLowBitQuantization,
    kGgufOnAppleSilicon, kMlxOffAppleSilicon, kFormatUnavailable, kFallbackFormat, kUnknownQuantization,
    kRuntimeFormatMismatch, kSharedServerSettings, kKvCacheTypeUnsupported, kGpuSplitSettings, kContextBeyondTrained, kLongContextLargeModel, kUnknownModel, kSeedModelName, kModelFileUnreadable, kModelFileFormatMismatch, kMonitoring, kRoutingTiers,
    kModelNameConflict, kContextShorthand, kValidationPrompts, kUnknownChip, kChipHardwareMismatch, kVllmMaxModelLen, kKvCacheTypeRuntime,
    kTensorParallelHeads, kClusterHostOverBudget, kClusterSplitImpossible, kClusterNotNeeded, kClusterLinkTooSlow;

const std::vector<const Rule*>& all_rules() {
  static const std::vector<const Rule*> rules = {
      &kInvalidYaml,          // LI001 (load stage)
      &kSchemaViolation,      // LI002 (validate stage)
      &kUnknownKey,           // LI003 (validate stage)
      &kOsReserveRange,       // LI010
      &kKvReserveRange,       // LI011
      &kKvExceedsReserve,     // LI012
      &kRouteExceedsBudget,   // LI013
      &kRouteExceedsGpuLimit, // LI014
      &kResidentRoutes,       // LI015
      &kMinRamUnderstated,    // LI016
      &kVllmMaxModelLen,      // LI017
      &kKvCacheTypeRuntime,   // LI018
      &kLowBitQuantization,   // LI020
      &kGgufOnAppleSilicon,   // LI021
      &kMlxOffAppleSilicon,   // LI022
      &kFormatUnavailable,    // LI023
      &kFallbackFormat,       // LI024
      &kUnknownQuantization,  // LI025
      &kRuntimeFormatMismatch,  // LI026
      &kSharedServerSettings,   // LI027
      &kKvCacheTypeUnsupported,  // LI028
      &kGpuSplitSettings,        // LI029
      &kContextBeyondTrained, // LI030
      &kLongContextLargeModel,// LI031
      &kUnknownModel,         // LI040
      &kSeedModelName,        // LI041
      &kModelFileUnreadable,  // LI042
      &kModelFileFormatMismatch,  // LI043
      &kTensorParallelHeads,  // LI044
      &kMonitoring,           // LI050
      &kRoutingTiers,         // LI051
      &kModelNameConflict,    // LI052
      &kContextShorthand,     // LI053
      &kValidationPrompts,    // LI054
      &kUnknownChip,          // LI060
      &kChipHardwareMismatch, // LI061
      &kClusterHostOverBudget,   // LI070
      &kClusterSplitImpossible,  // LI071
      &kClusterNotNeeded,        // LI072
      &kClusterLinkTooSlow,      // LI073
  };
  return rules;
}

const Rule* find_rule(std::string_view code_or_name) {
  std::string key = to_lower(code_or_name);
  for (const Rule* r : all_rules())
    if (to_lower(r->code) == key || r->name == key) return r;
  return nullptr;
}

}  // namespace planner
