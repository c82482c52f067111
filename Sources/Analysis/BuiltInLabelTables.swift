/// The segmenters' own label tables, as their sources define them (ids change between versions).
extension LabelTable {
    /// TotalSegmentator `total_mr` since v2.5 (October 2024; `totalsegmentator/map_to_binary.py`):
    /// 46/47 autochthon, 48/49 iliopsoas, with organs, bones and the brain beside the muscles.
    public static let totalSegmentator = LabelTable(name: "totalsegmentator", names: totalSegmentatorCommon.merging([
        30: "humerus_left", 31: "humerus_right", 32: "scapula_left", 33: "scapula_right", 34: "clavicula_left",
        35: "clavicula_right", 36: "femur_left", 37: "femur_right", 38: "hip_left", 39: "hip_right",
        40: "gluteus_maximus_left", 41: "gluteus_maximus_right", 42: "gluteus_medius_left", 43: "gluteus_medius_right",
        44: "gluteus_minimus_left", 45: "gluteus_minimus_right", 46: "autochthon_left", 47: "autochthon_right",
        48: "iliopsoas_left", 49: "iliopsoas_right", 50: "brain",
    ]) { $1 })

    /// TotalSegmentator `total_mr` before v2.5: 44/45 autochthon, 46/47 iliopsoas, 48–55 thigh muscles.
    public static let totalSegmentatorV1 = LabelTable(name: "totalsegmentator-v1", names: totalSegmentatorCommon.merging([
        30: "humerus_left", 31: "humerus_right", 32: "fibula", 33: "tibia", 34: "femur_left", 35: "femur_right",
        36: "hip_left", 37: "hip_right", 38: "gluteus_maximus_left", 39: "gluteus_maximus_right",
        40: "gluteus_medius_left", 41: "gluteus_medius_right", 42: "gluteus_minimus_left", 43: "gluteus_minimus_right",
        44: "autochthon_left", 45: "autochthon_right", 46: "iliopsoas_left", 47: "iliopsoas_right",
        48: "quadriceps_femoris_left", 49: "quadriceps_femoris_right", 50: "thigh_medial_compartment_left",
        51: "thigh_medial_compartment_right", 52: "thigh_posterior_compartment_left", 53: "thigh_posterior_compartment_right",
        54: "sartorius_left", 55: "sartorius_right", 56: "brain",
    ]) { $1 })

    /// Ids 1–29, the same in both TotalSegmentator MR versions.
    private static let totalSegmentatorCommon: [Int: String] = [
        1: "spleen", 2: "kidney_right", 3: "kidney_left", 4: "gallbladder", 5: "liver", 6: "stomach", 7: "pancreas",
        8: "adrenal_gland_right", 9: "adrenal_gland_left", 10: "lung_left", 11: "lung_right", 12: "esophagus",
        13: "small_bowel", 14: "duodenum", 15: "colon", 16: "urinary_bladder", 17: "prostate", 18: "sacrum",
        19: "vertebrae", 20: "intervertebral_discs", 21: "spinal_cord", 22: "heart", 23: "aorta", 24: "inferior_vena_cava",
        25: "portal_vein_and_splenic_vein", 26: "iliac_artery_left", 27: "iliac_artery_right", 28: "iliac_vena_left",
        29: "iliac_vena_right",
    ]

    /// MRSegmentator (Häntze et al. 2024; its README's class table): 40 classes, muscles 31–40.
    public static let mrSegmentator = LabelTable(name: "mrsegmentator", names: [
        1: "spleen", 2: "kidney_right", 3: "kidney_left", 4: "gallbladder", 5: "liver", 6: "stomach", 7: "pancreas",
        8: "adrenal_gland_right", 9: "adrenal_gland_left", 10: "lung_left", 11: "lung_right", 12: "heart", 13: "aorta",
        14: "inferior_vena_cava", 15: "portal_vein_and_splenic_vein", 16: "iliac_artery_left", 17: "iliac_artery_right",
        18: "iliac_vena_left", 19: "iliac_vena_right", 20: "esophagus", 21: "small_bowel", 22: "duodenum", 23: "colon",
        24: "urinary_bladder", 25: "spine", 26: "sacrum", 27: "hip_left", 28: "hip_right", 29: "femur_left",
        30: "femur_right", 31: "autochthon_left", 32: "autochthon_right", 33: "iliopsoas_left", 34: "iliopsoas_right",
        35: "gluteus_maximus_left", 36: "gluteus_maximus_right", 37: "gluteus_medius_left", 38: "gluteus_medius_right",
        39: "gluteus_minimus_left", 40: "gluteus_minimus_right",
    ])

    /// MuscleMap's whole-body model (`scripts/models/wholebody/contrast_agnostic_wholebody_model.json`,
    /// February 2026): region digit, muscle, side (1 left, 2 right); its names as it writes them.
    public static let muscleMap = LabelTable(name: "musclemap", names: [
        1101: "levator_scapulae_left", 1102: "levator_scapulae_right", 1111: "semispinalis_cervicis_and_multifidus_left", 1112: "semispinalis_cervicis_and_multifidus_right",
        1121: "semispinalis_capitis_left", 1122: "semispinalis_capitis_right", 1131: "splenius_capitis_left", 1132: "splenius_capitis_right",
        1141: "sternocleidomastoid_left", 1142: "sternocleidomastoid_right", 1151: "longus_colli_left", 1152: "longus_colli_right",
        1161: "trapezius_left", 1162: "trapezius_right", 2101: "supraspinatus_left", 2102: "supraspinatus_right",
        2111: "subscapularis_left", 2112: "subscapularis_right", 2121: "infraspinatus_left", 2122: "infraspinatus_right",
        2141: "deltoid_left", 2142: "deltoid_right", 4101: "rhomboid_left", 4102: "rhomboid_right",
        5101: "thoracolumbar_multifidus_left", 5102: "thoracolumbar_multifidus_right", 5111: "erector_spinae_left", 5112: "erector_spinae_right",
        5121: "psoas_major_left", 5122: "psoas_major_right", 5131: "quadratus_lumborum_left", 5132: "quadratus_lumborum_right",
        5141: "lattisimus_dorsi_left", 5142: "lattisimus_dorsi_right", 6101: "gluteus_minimus_left", 6102: "gluteus_minimus_right",
        6111: "gluteus_medius_left", 6112: "gluteus_medius_right", 6121: "gluteus_maximus_left", 6122: "gluteus_maximus_right",
        6131: "tensor_fascia_latae_left", 6132: "tensor_fascia_latae_right", 6141: "iliacus_left", 6142: "iliacus_right",
        6151: "ilium_left", 6152: "ilium_right", 6160: "sacrum", 6171: "femur_left",
        6172: "femur_right", 6181: "piriformis_left", 6182: "piriformis_right", 6191: "pectineus_left",
        6192: "pectineus_right", 6201: "obturator_internus_left", 6202: "obturator_internus_right", 6211: "obturator_externus_left",
        6212: "obturator_externus_right", 6221: "gemelli_and_quadratus_femoris_left", 6222: "gemelli_and_quadratus_femoris_right", 7101: "vastus_lateralis_left",
        7102: "vastus_lateralis_right", 7111: "vastus_intermedius_left", 7112: "vastus_intermedius_right", 7121: "vastus_medialis_left",
        7122: "vastus_medialis_right", 7131: "rectus_femoris_left", 7132: "rectus_femoris_right", 7141: "sartorius_left",
        7142: "sartorius_right", 7151: "gracilis_left", 7152: "gracilis_right", 7161: "semimembranosus_left",
        7162: "semimembranosus_right", 7171: "semitendinosus_left", 7172: "semitendinosus_right", 7181: "biceps_femoris_long_head_left",
        7182: "biceps_femoris_long_head_right", 7191: "biceps_femoris_short_head_left", 7192: "biceps_femoris_short_head_right", 7201: "adductor_magnus_left",
        7202: "adductor_magnus_right", 7211: "adductor_longus_left", 7212: "adductor_longus_right", 7221: "adductor_brevis_left",
        7222: "adductor_brevis_right", 8101: "anterior_compartment_left", 8102: "anterior_compartment_right", 8111: "deep_posterior_compartment_left",
        8112: "deep_posterior_compartment_right", 8121: "lateral_compartment_left", 8122: "lateral_compartment_right", 8131: "soleus_left",
        8132: "soleus_right", 8141: "gastrocnemius_left", 8142: "gastrocnemius_right", 8151: "tibia_left",
        8152: "tibia_right", 8161: "fibula_left", 8162: "fibula_right",
    ])

    /// MuscleMap's abdomen (lumbar) region model (`contrast_agnostic_abdomen_model.json`): 1–8, right before left.
    public static let muscleMapAbdomen = LabelTable(name: "musclemap-abdomen", names: [
        1: "multifidus_right", 2: "multifidus_left", 3: "erector_spinae_right", 4: "erector_spinae_left",
        5: "psoas_major_right", 6: "psoas_major_left", 7: "quadratus_lumborum_right", 8: "quadratus_lumborum_left",
    ])

    /// The tables `--labels NAME` knows and detection chooses among (`none` is named, never detected).
    public static let builtIn = [totalSegmentator, totalSegmentatorV1, mrSegmentator, muscleMap, muscleMapAbdomen]

    /// The tables `--labels NAME` accepts.
    public static let selectable = builtIn + [.none]
}
